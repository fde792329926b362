#include "Account.h"

#include "ClientLogging.h"
#include "account/TokenVault.h"
#include "activity/ReadMarker.h"
#include "media/MediaTransfers.h"
#include "models/ConversationListModel.h"
#include "models/MemberListModel.h"
#include "models/MessageListModel.h"
#include "models/MessageSearchModel.h"
#include "models/ReceiptListModel.h"
#include "models/UserSearchModel.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"
#include "sync/Outbox.h"
#include "sync/ReceiptSender.h"

#include <QCborArray>

#include <QDir>
#include <QFileInfo>

namespace Client {

using namespace Qt::StringLiterals;

namespace {
//! Accounts share a folder of store files: each has its own media cache beside its store.
QString mediaDirFor(const QString &storePath)
{
    const QFileInfo store(storePath);
    return store.absoluteDir().filePath(store.completeBaseName() + u".media"_s);
}
} // namespace

Account::Account(const QUrl &serverUrl, const QString &username, const QString &storePath,
                 TokenVault *vault, TrustStore *trustStore, const AccountSettings &settings,
                 QObject *parent)
    : QObject(parent)
    , m_serverUrl(serverUrl)
    , m_username(username.trimmed().toLower())
    , m_key(keyFor(serverUrl, username))
    , m_storePath(storePath)
    , m_vault(vault)
    , m_settings(settings)
    , m_store(new LocalStore(this))
    , m_connection(new Connection(trustStore, settings.connection, this))
    , m_sync(new SyncEngine(m_connection, m_store, settings.sync, this))
    , m_outbox(new Outbox(m_connection, m_store, this))
    , m_typing(new TypingTracker(m_connection, settings.typing, this))
    , m_readMarker(new ReadMarker(m_store, this))
    , m_receiptSender(new ReceiptSender(m_connection, m_store, this))
    , m_notifier(new Notifier(m_sync, m_store, this))
    , m_media(new MediaTransfers(m_connection, m_store, trustStore, settings.connection,
                                 mediaDirFor(storePath), this))
    , m_avatars(new Avatars(m_store, m_media, this))
{
    // The list exists from the start; it fills in when the store has read its contents.
    m_conversations = new ConversationListModel(m_store, m_typing, m_avatars, this);
    m_connection->setUrl(serverUrl);
    m_outbox->setRetryDelayMs(settings.outboxRetryDelayMs);
    connect(m_connection, &Connection::stateChanged, this, &Account::stateChanged);
    connect(m_connection, &Connection::lastErrorChanged, this, &Account::lastErrorChanged);
    connect(m_connection, &Connection::certificateNotTrusted, this,
            &Account::certificateNotTrusted);
    connect(m_notifier, &Notifier::notify, this, &Account::notification);
    connect(m_sync, &SyncEngine::typingReceived, m_typing, &TypingTracker::applyTyping);
    connect(m_sync, &SyncEngine::messageArrived, this,
            [this](const Protocol::MessageRecord &message) {
                m_typing->clearUser(message.conversationId, message.senderId);
            });
    connect(m_connection, &Connection::tokenIssued, this, [this](const QString &token) {
        m_vault->writeToken(m_key, token, this, [this](const QString &error) {
            if (!error.isEmpty())
                Q_EMIT tokenNotStored(error);
        });
    });
    const auto forgetToken = [this](const QString &reason) {
        m_vault->removeToken(m_key, this, {});
        Q_EMIT signInRequired(reason);
    };
    connect(m_connection, &Connection::signedOut, this, forgetToken);
    connect(m_connection, &Connection::signInFailed, this,
            [forgetToken](Protocol::ErrorCode code, const QString &message) {
                if (code == Protocol::ErrorCode::InvalidToken)
                    forgetToken(message);
            });
}

Account::~Account()
{
    // Models first: they hold pointers into the store.
    delete m_conversations;
    m_conversations = nullptr;
}

QString Account::keyFor(const QUrl &serverUrl, const QString &username)
{
    const int defaultPort = serverUrl.scheme() == u"wss"_s ? 443 : 80;
    return u"%1@%2:%3"_s.arg(username.trimmed().toLower(), serverUrl.host().toLower())
        .arg(serverUrl.port(defaultPort));
}

QFuture<bool> Account::openStore()
{
    if (m_store->isOpen())
        return QtFuture::makeReadyFuture(true);
    return m_store->open(m_storePath).then(this, [this](bool ok) {
        if (!ok) {
            qCWarning(lcClientAccount).noquote()
                << "cannot open the local store of" << m_key << m_store->errorString();
            m_afterOpen.clear();
            Q_EMIT storeFailed(m_store->errorString());
            return false;
        }
        m_media->storeOpened();
        for (const auto &action : std::exchange(m_afterOpen, {}))
            action();
        return true;
    });
}

bool Account::isStoreOpen() const
{
    return m_store->isOpen();
}

void Account::whenStoreOpen(std::function<void()> action)
{
    if (m_store->isOpen())
        action();
    else
        m_afterOpen.append(std::move(action));
}

void Account::connectToServer()
{
    whenStoreOpen([this] {
        if (m_connection->state() != Connection::State::Offline)
            return;
        m_vault->readToken(m_key, this, [this](const QString &token, const QString &error) {
            if (token.isEmpty()) {
                Q_EMIT signInRequired(error.isEmpty()
                                          ? u"no device token for this account"_s
                                          : u"the keychain is not available: "_s + error);
                return;
            }
            m_connection->setToken(token);
            m_connection->open();
        });
    });
}

void Account::beginPasswordSignIn(const PasswordSignIn &signIn)
{
    m_connection->close();
    whenStoreOpen([this, signIn] {
        m_connection->setPasswordSignIn(signIn);
        m_connection->open();
    });
}

void Account::signIn(const QString &password)
{
    beginPasswordSignIn(PasswordSignIn {PasswordSignIn::Kind::Login, m_username, password, {}, {}});
}

void Account::registerUser(const QString &displayName, const QString &password,
                           const QString &invite)
{
    beginPasswordSignIn(
        PasswordSignIn {PasswordSignIn::Kind::Register, m_username, password, displayName, invite});
}

void Account::signOut()
{
    Request *request = m_connection->send(Protocol::Request::Logout);
    connect(request, &Request::finished, this, [this](const Reply &) {
        // Forget the token whatever the server said: an unreachable server must not keep this
        // device signed in locally.
        m_connection->close();
        m_vault->removeToken(m_key, this, {});
    });
}

void Account::disconnectFromServer()
{
    m_connection->close();
}

Connection::State Account::state() const
{
    return m_connection->state();
}

QString Account::lastError() const
{
    return m_connection->lastError();
}

MessageListModel *Account::createMessageModel(qint64 conversationId, QObject *parent)
{
    return new MessageListModel(m_store, m_sync, conversationId, m_settings.messagePageSize,
                                parent);
}

MemberListModel *Account::createMemberModel(qint64 conversationId, QObject *parent)
{
    return new MemberListModel(m_store, m_sync, m_avatars, conversationId, parent);
}

ReceiptListModel *Account::createReceiptModel(qint64 conversationId, qint64 seq, QObject *parent)
{
    return new ReceiptListModel(m_connection, m_store, conversationId, seq, parent);
}

UserSearchModel *Account::createUserSearchModel(QObject *parent)
{
    return new UserSearchModel(m_connection, m_avatars, parent);
}

MessageSearchModel *Account::createMessageSearchModel(QObject *parent)
{
    return new MessageSearchModel(m_store, parent);
}

OutboxEntry Account::sendMessage(qint64 conversationId, const QString &text)
{
    m_typing->userStopped(conversationId);
    return m_outbox->sendText(conversationId, text);
}

OutboxEntry Account::sendBody(qint64 conversationId, const Protocol::Body::MessageBody &body)
{
    if (body.kind == Protocol::Body::Kind::Text)
        m_typing->userStopped(conversationId);
    return m_outbox->sendBody(conversationId, body);
}

bool Account::retryMessage(const QString &clientId)
{
    return m_outbox->retry(clientId);
}

bool Account::discardMessage(const QString &clientId)
{
    return m_outbox->discard(clientId);
}

void Account::userTyping(qint64 conversationId)
{
    m_typing->userTyping(conversationId);
}

void Account::setConversationOnScreen(qint64 conversationId)
{
    m_notifier->setConversationOnScreen(conversationId);
}

void Account::setVisibleMessages(qint64 conversationId, const QList<qint64> &seqs)
{
    m_readMarker->setVisibleMessages(conversationId, seqs);
}

Request *Account::sendAndStoreConversation(QLatin1StringView type, const QCborMap &fields)
{
    Request *request = m_connection->send(type, fields);
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        if (reply.isOk())
            m_store->upsertConversations({Protocol::ConversationInfo::fromCbor(
                reply.body.value("conversation"_L1).toMap())});
    });
    return request;
}

Request *Account::openDirect(qint64 userId)
{
    return sendAndStoreConversation(Protocol::Request::OpenDirect, {{"userId"_L1, userId}});
}

Request *Account::createGroup(const QString &name, const QList<qint64> &memberIds)
{
    QCborArray ids;
    for (qint64 id : memberIds)
        ids.append(id);
    return sendAndStoreConversation(Protocol::Request::CreateGroup,
                                    {{"name"_L1, name}, {"memberIds"_L1, ids}});
}

Request *Account::setConversationFlags(qint64 conversationId, std::optional<bool> muted,
                                       std::optional<bool> pinned, std::optional<bool> archived)
{
    QCborMap fields {{"conversationId"_L1, conversationId}};
    if (muted)
        fields.insert("muted"_L1, *muted);
    if (pinned)
        fields.insert("pinned"_L1, *pinned);
    if (archived)
        fields.insert("archived"_L1, *archived);
    return sendAndStoreConversation(Protocol::Request::SetConversationFlags, fields);
}

Request *Account::setSendReadReceipts(bool send)
{
    Request *request =
        m_connection->send(Protocol::Request::UpdateProfile, {{"sendReadReceipts"_L1, send}});
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        if (reply.isOk())
            m_store->setProfile(
                Protocol::ProfileInfo::fromCbor(reply.body.value("user"_L1).toMap()));
    });
    return request;
}

} // namespace Client
