#pragma once

#include "account/Account.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QTimer>

namespace Client {
class MessageSearchModel;
} // namespace Client

namespace App {

class SearchResultModel;

//! The message search (Ctrl+F): a query, a scope (every conversation, or one), and the results
//! of the account's local full-text index as a model for the result list (SearchResultModel's
//! roles: conversationId, seq, conversationName, senderName, timestamp, messageText,
//! highlightedText, initials, avatarColor). Typing restarts a short pause before the search runs,
//! so a fast typist does not search for every prefix.
//!
//! Made in QML, it is given the account on screen (`account: App.account`) and follows it.
class SearchController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! The account whose messages are searched; null: none (no results).
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    //! 0: every conversation; otherwise only this one.
    //! (double for QML, as QML sees it anyway: qmllint 6.4 knows no 64-bit integer type.)
    Q_PROPERTY(double conversationId READ conversationId WRITE setConversationId NOTIFY
                   conversationIdChanged)
    Q_PROPERTY(QAbstractItemModel *results READ results CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    //! True from a change of the query or scope until its results are in.
    Q_PROPERTY(bool pending READ isPending NOTIFY pendingChanged)
    //! The colour of the matched parts in highlightedText.
    Q_PROPERTY(QColor highlightColor READ highlightColor WRITE setHighlightColor NOTIFY
                   highlightColorChanged)
public:
    explicit SearchController(QObject *parent = nullptr);
    explicit SearchController(Client::Account *account, QObject *parent = nullptr);
    ~SearchController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);

    QString query() const { return m_query; }
    void setQuery(const QString &query);
    qint64 conversationId() const { return m_conversationId; }
    void setConversationId(qint64 conversationId);
    QAbstractItemModel *results() const;
    int count() const;
    bool isPending() const { return m_pending; }
    QColor highlightColor() const;
    void setHighlightColor(const QColor &color);

    //! Runs the search now instead of after the typing pause (Enter, tests).
    Q_INVOKABLE void searchNow();
    //! Empties the query and the results.
    Q_INVOKABLE void clear();

Q_SIGNALS:
    void accountChanged();
    void queryChanged();
    void conversationIdChanged();
    void countChanged();
    void pendingChanged();
    void highlightColorChanged();
    //! A search ran and the results are in (a new list, even when the count is the same).
    void searchFinished();

private:
    void setPending(bool pending);
    void onFinished();
    void schedule();

    QPointer<Client::Account> m_account;
    Client::MessageSearchModel *m_source = nullptr;
    SearchResultModel *m_results;
    QTimer m_pause;
    QString m_query;
    qint64 m_conversationId = 0;
    int m_count = 0;
    bool m_pending = false;
};

} // namespace App
