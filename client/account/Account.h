#pragma once

#include "activity/Notifier.h"
#include "activity/TypingTracker.h"
#include "api/MessageApi.h"
#include "connection/Connection.h"
#include "media/Avatars.h"
#include "protocol/MessageBody.h"
#include "store/LocalTypes.h"
#include "sync/SyncEngine.h"

#include <QFuture>
#include <QObject>
#include <QUrl>

namespace Client {

class ConversationListModel;
class LocalStore;
class MediaTransfers;
class MemberListModel;
class MessageListModel;
class MessageSearchModel;
class Outbox;
class ReadMarker;
class ReceiptListModel;
class ReceiptSender;
class TokenVault;
class TrustStore;
class UserSearchModel;

//! Timings of everything an account runs; tests shorten them.
struct AccountSettings
{
    ConnectionSettings connection;
    SyncEngine::Settings sync;
    TypingTracker::Settings typing;
    int outboxRetryDelayMs = 2000;
    int messagePageSize = 50;
};

//! One user on one server: its local store, its connection, the engines that keep them in step,
//! and the models the app shows. Several accounts live side by side, each with its own store file,
//! connection and keychain entry (see AccountManager).
//!
//! Typical use: openStore() (the cached conversations show as soon as the store has read them,
//! on its own thread), then connectToServer() (resumes with the token from the keychain) — or
//! signIn()/registerUser() the first time. Connecting waits for the store: the sync that follows
//! every sign-in starts from its cursors.
class Account : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString key READ key CONSTANT)
    Q_PROPERTY(Connection::State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    //! Profile and group pictures (Avatars).
    Q_PROPERTY(Client::Avatars *avatars READ avatars CONSTANT)
public:
    //! storePath: the SQLite file of this account.
    Account(const QUrl &serverUrl, const QString &username, const QString &storePath,
            TokenVault *vault, TrustStore *trustStore, const AccountSettings &settings = {},
            QObject *parent = nullptr);
    ~Account() override;

    //! "username@host:port": the account's name in the keychain and in the account list.
    static QString keyFor(const QUrl &serverUrl, const QString &username);
    QString key() const { return m_key; }
    QUrl serverUrl() const { return m_serverUrl; }
    QString username() const { return m_username; }

    //! Opens the local store and creates the models. Everything cached is usable from here on,
    //! with or without a connection.
    //! The future says whether it opened; storeFailed() says why not.
    QFuture<bool> openStore();
    bool isStoreOpen() const;
    //! Reads the device token from the vault and connects with it; signInRequired() when there
    //! is none.
    void connectToServer();
    //! Signs in with the password: a new device of an existing account.
    void signIn(const QString &password);
    //! Creates the account on the server.
    void registerUser(const QString &displayName, const QString &password,
                      const QString &invite = {});
    //! Signs this device out on the server and forgets the token.
    void signOut();
    void disconnectFromServer();

    Connection::State state() const;
    QString lastError() const;

    Connection *connection() const { return m_connection; }
    LocalStore *store() const { return m_store; }
    SyncEngine *syncEngine() const { return m_sync; }
    Outbox *outbox() const { return m_outbox; }
    TypingTracker *typingTracker() const { return m_typing; }
    ReadMarker *readMarker() const { return m_readMarker; }
    ReceiptSender *receiptSender() const { return m_receiptSender; }
    Notifier *notifier() const { return m_notifier; }
    ConversationListModel *conversationModel() const { return m_conversations; }
    //! Attachments: sending, downloading, the media cache (`<store file>.media/` beside the
    //! store, one folder per account).
    MediaTransfers *media() const { return m_media; }
    //! Profile and group pictures: which are drawable, their decrypted bytes.
    Avatars *avatars() const { return m_avatars; }

    // Models for one screen each; the caller owns them (parent).
    MessageListModel *createMessageModel(qint64 conversationId, QObject *parent);
    MemberListModel *createMemberModel(qint64 conversationId, QObject *parent);
    ReceiptListModel *createReceiptModel(qint64 conversationId, qint64 seq, QObject *parent);
    UserSearchModel *createUserSearchModel(QObject *parent);
    MessageSearchModel *createMessageSearchModel(QObject *parent);

    // What the app does.
    OutboxEntry sendMessage(qint64 conversationId, const QString &text);
    //! A structured message (reply, mentions, styles, forward), a reaction or an edit
    //! (Outbox::sendBody).
    OutboxEntry sendBody(qint64 conversationId, const Protocol::Body::MessageBody &body);
    //! Delete for everyone or for me, the disappearing timer.
    MessageApi messageApi() const { return MessageApi(m_connection, m_store); }
    bool retryMessage(const QString &clientId);
    bool discardMessage(const QString &clientId);
    void userTyping(qint64 conversationId);
    //! The conversation on screen (0: none): no notifications for it.
    void setConversationOnScreen(qint64 conversationId);
    //! The entries of a conversation that are on screen now.
    void setVisibleMessages(qint64 conversationId, const QList<qint64> &seqs);
    //! direct.open; the conversation lands in the store (and the list) when the answer comes.
    Request *openDirect(qint64 userId);
    Request *createGroup(const QString &name, const QList<qint64> &memberIds);
    Request *setConversationFlags(qint64 conversationId, std::optional<bool> muted,
                                  std::optional<bool> pinned, std::optional<bool> archived);
    Request *setSendReadReceipts(bool send);

Q_SIGNALS:
    void stateChanged(Connection::State state);
    void lastErrorChanged(const QString &error);
    //! There is no usable token: the app asks for the password (reason says why).
    void signInRequired(const QString &reason);
    //! The local store could not be opened (error in words): nothing works without it.
    void storeFailed(const QString &error);
    //! The token could not be kept in the keychain: the next start will ask for the password.
    void tokenNotStored(const QString &error);
    void notification(const Notification &notification);
    void certificateNotTrusted(const QString &host, int port, const QString &fingerprint,
                               const QString &reason);

private:
    Request *sendAndStoreConversation(QLatin1StringView type, const QCborMap &fields);
    void beginPasswordSignIn(const PasswordSignIn &signIn);
    //! Runs `action` once the store is open (at once when it is).
    void whenStoreOpen(std::function<void()> action);

    QUrl m_serverUrl;
    QString m_username;
    QString m_key;
    QString m_storePath;
    TokenVault *m_vault;
    AccountSettings m_settings;
    LocalStore *m_store;
    Connection *m_connection;
    SyncEngine *m_sync;
    Outbox *m_outbox;
    TypingTracker *m_typing;
    ReadMarker *m_readMarker;
    ReceiptSender *m_receiptSender;
    Notifier *m_notifier;
    MediaTransfers *m_media;
    Avatars *m_avatars;
    ConversationListModel *m_conversations = nullptr;
    QList<std::function<void()>> m_afterOpen;
};

} // namespace Client
