#pragma once

#include "protocol/Frame.h"

#include <QCborArray>
#include <QCborMap>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <optional>

//! One protocol client for the integration tests: a QWebSocket speaking CBOR frames.
//!
//! Responses are matched to requests by id; events are queued in arrival order until a test takes
//! them. Every wait spins the event loop through QSignalSpy (the server lives on the same thread)
//! and gives up after a timeout; nothing here sleeps. Helpers that fail return an empty value and
//! log the server's answer, so the test's own QVERIFY/QCOMPARE reports the failure.
class TestClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultTimeoutMs = 10'000;
    static const QString DefaultPassword;

    using Frame = Protocol::Frame;
    using Predicate = std::function<bool(const Frame &)>;

    struct Account
    {
        qint64 userId = 0;
        qint64 deviceId = 0;
        QString token;
        explicit operator bool() const { return userId > 0 && !token.isEmpty(); }
    };

    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    //! Opens the WebSocket and waits for the server's welcome event.
    bool connectTo(const QUrl &url, int timeoutMs = DefaultTimeoutMs);
    //! Closes the connection normally and waits until it is closed.
    void close();
    bool isConnected() const;
    //! Waits until the server has closed the connection.
    bool waitDisconnected(int timeoutMs = DefaultTimeoutMs);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QWebSocket &socket() { return m_socket; }
    const Frame &welcome() const { return m_welcome; }

    //! Sends a request and waits for its response; a Frame with an empty type on timeout.
    Frame request(const QString &type, const QCborMap &fields = {},
                  int timeoutMs = DefaultTimeoutMs);
    Frame request(QLatin1StringView type, const QCborMap &fields = {},
                  int timeoutMs = DefaultTimeoutMs);
    //! Sends a request without waiting; returns its id for waitResponse().
    qint64 send(const QString &type, QCborMap fields = {});
    qint64 send(QLatin1StringView type, const QCborMap &fields = {});
    //! The response with this id (id 0: errors about frames the server could not read).
    Frame waitResponse(qint64 id, int timeoutMs = DefaultTimeoutMs);

    //! Takes the first queued event of this type matching predicate, waiting for one to arrive.
    std::optional<Frame> waitEvent(const QString &type, const Predicate &predicate = {},
                                   int timeoutMs = DefaultTimeoutMs);
    std::optional<Frame> waitEvent(QLatin1StringView type, const Predicate &predicate = {},
                                   int timeoutMs = DefaultTimeoutMs);
    //! The queued (not yet taken) events of this type, oldest first.
    QList<Frame> events(const QString &type) const;
    QList<Frame> events(QLatin1StringView type) const;
    void clearEvents();

    //! A ping round trip. The server writes to one connection in order, so whatever it sent this
    //! connection before it answered the ping is queued afterwards.
    bool flush();

    void sendRaw(const QByteArray &bytes);
    void sendTextFrame(const QString &text);

    // Accounts. Each one remembers the account it signed in to.
    Account registerUser(const QString &username, const QString &password = DefaultPassword,
                         const QString &invite = {});
    Account login(const QString &username, const QString &password = DefaultPassword,
                  const QString &deviceName = {});
    Account resume(const QString &token);
    const Account &account() const { return m_account; }
    qint64 userId() const { return m_account.userId; }
    qint64 deviceId() const { return m_account.deviceId; }
    const QString &token() const { return m_account.token; }
    const QString &username() const { return m_username; }

    // Conversations and messages. 0 on failure.
    qint64 openDirect(qint64 userId);
    qint64 createGroup(const QString &name, const QList<qint64> &memberIds);
    //! Sends a text message ("text/plain", UTF-8) and returns its seq.
    qint64 sendText(qint64 conversationId, const QString &text);

    //! A readable form of a frame for failure messages.
    static QString describe(const Frame &frame);

Q_SIGNALS:
    //! A frame arrived or the connection closed.
    void activity();

private:
    bool waitUntil(const std::function<bool()> &done, int timeoutMs);
    Account signIn(const QString &type, QCborMap fields);
    void onBinaryMessage(const QByteArray &bytes);

    QWebSocket m_socket;
    qint64 m_nextId = 1;
    QList<Frame> m_responses;
    QList<Frame> m_events;
    Frame m_welcome;
    Account m_account;
    QString m_username;
};

//! Small readers for CBOR fields of frames and records.
namespace Cbor {
QCborArray ids(const QList<qint64> &ids);
QList<qint64> seqs(const QCborArray &messages); //!< the "seq" of each message, in order
QList<qint64> integers(const QCborArray &array);
QCborMap
conversationOf(const Protocol::Frame &frame); //!< the "conversation" of a response or event
//! Role name of each member, by user id, from a conversation.get response.
QHash<qint64, QString> rolesOf(const Protocol::Frame &frame);
QCborMap eventOf(const QCborValue &message); //!< the membership event of a message record
QCborMap eventOf(const Protocol::Frame &messageEvent); //!< ... of a `message` event
} // namespace Cbor

//! The frame is an ok response; otherwise the test fails with the frame.
#define VERIFY_OK(frame)                                                                           \
    do {                                                                                           \
        const Protocol::Frame &verifyFrame_ = (frame);                                             \
        QVERIFY2(verifyFrame_.isOk(), qPrintable(TestClient::describe(verifyFrame_)));             \
    } while (false)

//! The frame is an error response with this Protocol::ErrorCode.
#define COMPARE_ERROR(frame, code)                                                                 \
    do {                                                                                           \
        const Protocol::Frame &verifyFrame_ = (frame);                                             \
        QVERIFY2(verifyFrame_.isError(),                                                           \
                 qPrintable(QStringLiteral("expected error %1, got %2")                            \
                                .arg(Protocol::errorCodeName(code),                                \
                                     TestClient::describe(verifyFrame_))));                        \
        QCOMPARE(verifyFrame_.body.value(QLatin1StringView("code")).toString(),                    \
                 QString(Protocol::errorCodeName(code)));                                          \
    } while (false)
