// messenger-demo-peer: a scripted second user, to look at the app with real traffic (screenshots,
// manual checks). It signs in (registering when needed), opens a direct chat with --to and,
// optionally, a group with --group-with, sends the given messages and stays online.
//
//   messenger-demo-peer --server ws://127.0.0.1:7461 --username bob --password secret123
//                       --to alice --message "Hi!" --message "Lunch?" [--group "Team" --group-with
//                       carol] [--stay-ms 60000]
#include "account/AccountManager.h"
#include "account/MemoryTokenVault.h"
#include "activity/ReadMarker.h"
#include "models/UserSearchModel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

using namespace Client;

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

//! Calls `done` with the user id of `username` (0: not found).
void findUser(Account *account, const QString &username, const std::function<void(qint64)> &done)
{
    auto *search = account->createUserSearchModel(account);
    QObject::connect(search, &UserSearchModel::busyChanged, search, [search, username, done] {
        if (search->isBusy())
            return;
        // busy turns false just before the results are set: read them once that is done.
        QMetaObject::invokeMethod(
            search,
            [search, username, done] {
                qint64 id = 0;
                for (int row = 0; row < search->rowCount(); ++row) {
                    const QModelIndex index = search->index(row);
                    if (index.data(UserSearchModel::UsernameRole).toString() == username)
                        id = index.data(UserSearchModel::UserIdRole).toLongLong();
                }
                search->deleteLater();
                done(id);
            },
            Qt::QueuedConnection);
    });
    search->setQuery(username);
}

qint64 conversationIdOf(const Reply &reply)
{
    return Protocol::ConversationInfo::fromCbor(reply.body.value("conversation"_L1).toMap()).id;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption server(u"server"_s, u"ws:// URL of messengerd"_s, u"url"_s);
    const QCommandLineOption username(u"username"_s, u"this user"_s, u"name"_s);
    const QCommandLineOption displayName(u"display-name"_s, u"display name when registering"_s,
                                         u"name"_s);
    const QCommandLineOption password(u"password"_s, u"password"_s, u"password"_s);
    const QCommandLineOption to(u"to"_s, u"direct chat with this username"_s, u"name"_s);
    const QCommandLineOption message(u"message"_s, u"a message for --to (repeatable)"_s, u"text"_s);
    const QCommandLineOption group(u"group"_s, u"create a group with this name"_s, u"name"_s);
    const QCommandLineOption groupWith(u"group-with"_s,
                                       u"another member of the group (repeatable)"_s, u"name"_s);
    const QCommandLineOption groupMessage(u"group-message"_s,
                                          u"a message for the group (repeatable)"_s, u"text"_s);
    const QCommandLineOption typing(u"typing"_s, u"keep typing in the direct chat while staying"_s);
    const QCommandLineOption read(
        u"read"_s, u"mark the direct chat read (the other side sees coloured ticks)"_s);
    const QCommandLineOption stay(u"stay-ms"_s, u"stay online this long after sending"_s, u"ms"_s,
                                  u"3000"_s);
    parser.addOptions({server, username, displayName, password, to, message, group, groupWith,
                       groupMessage, typing, read, stay});
    parser.process(app);

    QTemporaryDir dataDir;
    MemoryTokenVault vault;
    AccountManager manager(dataDir.path(), &vault);
    Account *account = manager.addAccount(QUrl(parser.value(server)), parser.value(username));
    QObject::connect(account, &Account::storeFailed, &app, [](const QString &error) {
        out() << "demo-peer: " << error << Qt::endl;
        QCoreApplication::exit(1);
    });
    const QString name = parser.value(username);
    bool triedLogin = false;
    QObject::connect(account->connection(), &Connection::signInFailed, &app,
                     [&](Protocol::ErrorCode code, const QString &why) {
                         if (code == Protocol::ErrorCode::UsernameTaken && !triedLogin) {
                             triedLogin = true;
                             account->signIn(parser.value(password));
                             return;
                         }
                         out() << "demo-peer: sign-in refused: " << why << Qt::endl;
                         QCoreApplication::exit(1);
                     });

    bool started = false;
    QObject::connect(account, &Account::stateChanged, &app, [&](Connection::State state) {
        if (state != Connection::State::Online || started)
            return;
        started = true;
        out() << "demo-peer: " << name << " online" << Qt::endl;
        const auto finish = [&] {
            const int ms = parser.value(stay).toInt();
            if (parser.isSet(typing) && ms > 0) {
                auto *timer = new QTimer(&app);
                QObject::connect(timer, &QTimer::timeout, account, [&, timer] {
                    if (const qint64 id = timer->property("conversation").toLongLong())
                        account->userTyping(id);
                });
                timer->setProperty("conversation", account->property("direct"));
                timer->start(1000);
                account->userTyping(account->property("direct").toLongLong());
            }
            QTimer::singleShot(std::max(ms, 500), &app, &QCoreApplication::quit);
        };
        const auto doGroup = [&, finish] {
            if (!parser.isSet(group)) {
                finish();
                return;
            }
            auto ids = std::make_shared<QList<qint64>>();
            auto names = std::make_shared<QStringList>(parser.values(groupWith));
            if (parser.isSet(to))
                names->prepend(parser.value(to));
            auto next = std::make_shared<std::function<void()>>();
            *next = [&, ids, names, next, finish] {
                if (names->isEmpty()) {
                    Request *request = account->createGroup(parser.value(group), *ids);
                    QObject::connect(request, &Request::finished, &app,
                                     [&, finish](const Reply &reply) {
                                         const qint64 id = conversationIdOf(reply);
                                         for (const QString &text : parser.values(groupMessage))
                                             account->sendMessage(id, text);
                                         out() << "demo-peer: group " << id << Qt::endl;
                                         finish();
                                     });
                    return;
                }
                findUser(account, names->takeFirst(), [ids, next](qint64 id) {
                    if (id)
                        ids->append(id);
                    (*next)();
                });
            };
            (*next)();
        };
        if (!parser.isSet(to)) {
            doGroup();
            return;
        }
        findUser(account, parser.value(to), [&, doGroup](qint64 userId) {
            if (!userId) {
                out() << "demo-peer: no user " << parser.value(to) << Qt::endl;
                QCoreApplication::exit(1);
                return;
            }
            Request *request = account->openDirect(userId);
            QObject::connect(request, &Request::finished, &app, [&, doGroup](const Reply &reply) {
                const qint64 id = conversationIdOf(reply);
                account->setProperty("direct", id);
                if (parser.isSet(read)) {
                    const auto info = Protocol::ConversationInfo::fromCbor(
                        reply.body.value("conversation"_L1).toMap());
                    account->readMarker()->markReadUpTo(id, info.lastSeq);
                }
                for (const QString &text : parser.values(message))
                    account->sendMessage(id, text);
                out() << "demo-peer: direct " << id << Qt::endl;
                doGroup();
            });
        });
    });

    account->registerUser(parser.isSet(displayName) ? parser.value(displayName) : name,
                          parser.value(password));
    return QCoreApplication::exec();
}
