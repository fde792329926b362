#include "TestClient.h"

#include "protocol/Requests.h"

#include <QCborValue>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QUuid>

using namespace Qt::StringLiterals;
using Protocol::Frame;

const QString TestClient::DefaultPassword = u"correct horse battery"_s;

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &TestClient::onBinaryMessage);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        qWarning("TestClient: the server sent a text frame: %s", qPrintable(text.left(200)));
        emit activity();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, &TestClient::activity);
}

TestClient::~TestClient()
{
    m_socket.abort();
}

bool TestClient::connectTo(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    const bool welcomed = waitUntil(
        [this] {
            for (qsizetype i = 0; i < m_events.size(); ++i) {
                if (m_events.at(i).type == Protocol::Event::Welcome) {
                    m_welcome = m_events.takeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    if (!welcomed)
        qWarning("TestClient: no welcome from %s (%s)", qPrintable(url.toString()),
                 qPrintable(m_socket.errorString()));
    return welcomed;
}

void TestClient::close()
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return;
    m_socket.close();
    if (!waitDisconnected())
        m_socket.abort();
}

bool TestClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

bool TestClient::waitDisconnected(int timeoutMs)
{
    return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                     timeoutMs);
}

bool TestClient::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QSignalSpy spy(this, &TestClient::activity);
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        // Nothing more can arrive on a closed connection.
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return false;
        const qint64 remaining = deadline.remainingTime();
        if (remaining <= 0)
            return false;
        spy.wait(int(remaining));
    }
    return true;
}

qint64 TestClient::send(const QString &type, QCborMap fields)
{
    const qint64 id = m_nextId++;
    fields.insert(Protocol::Key::Type, type);
    fields.insert(Protocol::Key::Id, id);
    m_socket.sendBinaryMessage(fields.toCborValue().toCbor());
    return id;
}

qint64 TestClient::send(QLatin1StringView type, const QCborMap &fields)
{
    return send(QString(type), fields);
}

Frame TestClient::waitResponse(qint64 id, int timeoutMs)
{
    qsizetype index = -1;
    const auto arrived = [this, id, &index] {
        for (qsizetype i = 0; i < m_responses.size(); ++i) {
            if (m_responses.at(i).id == id) {
                index = i;
                return true;
            }
        }
        return false;
    };
    if (!waitUntil(arrived, timeoutMs)) {
        qWarning("TestClient: no response to request %lld (%s)", id,
                 isConnected() ? "timed out" : "connection closed");
        return {};
    }
    return m_responses.takeAt(index);
}

Frame TestClient::request(const QString &type, const QCborMap &fields, int timeoutMs)
{
    return waitResponse(send(type, fields), timeoutMs);
}

Frame TestClient::request(QLatin1StringView type, const QCborMap &fields, int timeoutMs)
{
    return request(QString(type), fields, timeoutMs);
}

std::optional<Frame> TestClient::waitEvent(const QString &type, const Predicate &predicate,
                                           int timeoutMs)
{
    qsizetype index = -1;
    const auto arrived = [&] {
        for (qsizetype i = 0; i < m_events.size(); ++i) {
            const Frame &event = m_events.at(i);
            if (event.type == type && (!predicate || predicate(event))) {
                index = i;
                return true;
            }
        }
        return false;
    };
    if (!waitUntil(arrived, timeoutMs)) {
        qWarning("TestClient %s: no matching \"%s\" event (%s)", qPrintable(m_username),
                 qPrintable(type), isConnected() ? "timed out" : "connection closed");
        return std::nullopt;
    }
    return m_events.takeAt(index);
}

std::optional<Frame> TestClient::waitEvent(QLatin1StringView type, const Predicate &predicate,
                                           int timeoutMs)
{
    return waitEvent(QString(type), predicate, timeoutMs);
}

QList<Frame> TestClient::events(const QString &type) const
{
    QList<Frame> matching;
    for (const Frame &event : m_events) {
        if (event.type == type)
            matching.append(event);
    }
    return matching;
}

QList<Frame> TestClient::events(QLatin1StringView type) const
{
    return events(QString(type));
}

void TestClient::clearEvents()
{
    m_events.clear();
}

bool TestClient::flush()
{
    return request(Protocol::Request::Ping).isOk();
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

void TestClient::sendTextFrame(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::onBinaryMessage(const QByteArray &bytes)
{
    Protocol::DecodeResult decoded = Protocol::decodeFrame(bytes);
    if (!decoded.ok()) {
        qWarning("TestClient: undecodable frame from the server: %s", qPrintable(decoded.message));
        decoded.frame.type = u"<undecodable>"_s;
        m_events.append(decoded.frame);
    } else if (decoded.frame.isOk() || decoded.frame.isError()) {
        m_responses.append(decoded.frame);
    } else {
        m_events.append(decoded.frame);
    }
    emit activity();
}

TestClient::Account TestClient::signIn(const QString &type, QCborMap fields)
{
    fields.insert(u"protocol"_s, Protocol::Version);
    const Frame response = request(type, fields);
    if (!response.isOk()) {
        qWarning("TestClient: %s failed: %s", qPrintable(type), qPrintable(describe(response)));
        return {};
    }
    const QCborMap user = response.body.value(u"user"_s).toMap();
    m_account.userId = user.value(u"id"_s).toInteger();
    m_account.deviceId = response.body.value(u"deviceId"_s).toInteger();
    if (response.body.contains(u"token"_s))
        m_account.token = response.body.value(u"token"_s).toString();
    m_username = user.value(u"username"_s).toString();
    return m_account;
}

TestClient::Account TestClient::registerUser(const QString &username, const QString &password,
                                             const QString &invite)
{
    QCborMap fields {{u"username"_s, username},
                     {u"displayName"_s, u"Display "_s + username},
                     {u"password"_s, password},
                     {u"deviceName"_s, u"test device"_s}};
    if (!invite.isEmpty())
        fields.insert(u"invite"_s, invite);
    return signIn(QString(Protocol::Request::Register), fields);
}

TestClient::Account TestClient::login(const QString &username, const QString &password,
                                      const QString &deviceName)
{
    QCborMap fields {{u"username"_s, username}, {u"password"_s, password}};
    if (!deviceName.isEmpty())
        fields.insert(u"deviceName"_s, deviceName);
    return signIn(QString(Protocol::Request::Login), fields);
}

TestClient::Account TestClient::resume(const QString &token)
{
    m_account.token = token;
    Account account = signIn(QString(Protocol::Request::Resume), {{u"token"_s, token}});
    if (!account)
        m_account = {};
    return account;
}

qint64 TestClient::openDirect(qint64 userId)
{
    const Frame response = request(Protocol::Request::OpenDirect, {{u"userId"_s, userId}});
    if (!response.isOk()) {
        qWarning("TestClient: direct.open failed: %s", qPrintable(describe(response)));
        return 0;
    }
    return response.body.value(u"conversation"_s).toMap().value(u"id"_s).toInteger();
}

qint64 TestClient::createGroup(const QString &name, const QList<qint64> &memberIds)
{
    const Frame response = request(Protocol::Request::CreateGroup,
                                   {{u"name"_s, name}, {u"memberIds"_s, Cbor::ids(memberIds)}});
    if (!response.isOk()) {
        qWarning("TestClient: group.create failed: %s", qPrintable(describe(response)));
        return 0;
    }
    return response.body.value(u"conversation"_s).toMap().value(u"id"_s).toInteger();
}

qint64 TestClient::sendText(qint64 conversationId, const QString &text)
{
    const Frame response =
        request(Protocol::Request::Send,
                {{u"conversationId"_s, conversationId},
                 {u"clientId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                 {u"contentType"_s, u"text/plain"_s},
                 {u"content"_s, text.toUtf8()}});
    if (!response.isOk()) {
        qWarning("TestClient: message.send failed: %s", qPrintable(describe(response)));
        return 0;
    }
    return response.body.value(u"seq"_s).toInteger();
}

QString TestClient::describe(const Frame &frame)
{
    if (frame.type.isEmpty() && frame.body.isEmpty())
        return u"no frame (timed out or connection closed)"_s;
    return frame.body.toCborValue().toDiagnosticNotation(QCborValue::Compact);
}

namespace Cbor {

QCborArray ids(const QList<qint64> &ids)
{
    QCborArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

QList<qint64> seqs(const QCborArray &messages)
{
    QList<qint64> list;
    for (const QCborValue &message : messages)
        list.append(message.toMap().value(u"seq"_s).toInteger());
    return list;
}

QList<qint64> integers(const QCborArray &array)
{
    QList<qint64> list;
    for (const QCborValue &value : array)
        list.append(value.toInteger());
    return list;
}

QCborMap conversationOf(const Protocol::Frame &frame)
{
    return frame.body.value(u"conversation"_s).toMap();
}

QHash<qint64, QString> rolesOf(const Protocol::Frame &frame)
{
    QHash<qint64, QString> roles;
    for (const QCborValue &value : frame.body.value(u"members"_s).toArray()) {
        const QCborMap member = value.toMap();
        roles.insert(member.value(u"id"_s).toInteger(), member.value(u"role"_s).toString());
    }
    return roles;
}

QCborMap eventOf(const QCborValue &message)
{
    return message.toMap().value(u"event"_s).toMap();
}

QCborMap eventOf(const Protocol::Frame &messageEvent)
{
    return eventOf(messageEvent.body.value(u"message"_s));
}

} // namespace Cbor
