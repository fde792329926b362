// messenger-package-probe: signs in to a running messengerd over WebSocket with the client core,
// as the app does, and exits 0 once the account is online (1 when refused, 2 on a bad command
// line). The package test (install_test.sh) points it at the installed server.
//
//   messenger-package-probe --server ws://127.0.0.1:7401 --username alice --password secret
#include "account/AccountManager.h"
#include "account/MemoryTokenVault.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

using namespace Client;
using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption server(u"server"_s, u"ws:// URL of messengerd"_s, u"url"_s);
    const QCommandLineOption username(u"username"_s, u"the user to sign in as"_s, u"name"_s);
    const QCommandLineOption password(u"password"_s, u"the user's password"_s, u"password"_s);
    const QCommandLineOption timeout(u"timeout-ms"_s, u"give up after this long (default 30000)"_s,
                                     u"ms"_s, u"30000"_s);
    parser.addOptions({server, username, password, timeout});
    parser.process(app);
    QTextStream err(stderr);
    if (!parser.isSet(server) || !parser.isSet(username) || !parser.isSet(password)) {
        err << "messenger-package-probe: --server, --username and --password are required"
            << Qt::endl;
        return 2;
    }

    QTemporaryDir dataDir;
    MemoryTokenVault vault;
    AccountManager manager(dataDir.path(), &vault);
    Account *account = manager.addAccount(QUrl(parser.value(server)), parser.value(username));
    QObject::connect(account->connection(), &Connection::signInFailed, &app,
                     [&err](Protocol::ErrorCode, const QString &why) {
                         err << "messenger-package-probe: sign-in refused: " << why << Qt::endl;
                         QCoreApplication::exit(1);
                     });
    QObject::connect(account, &Account::stateChanged, &app, [&](Connection::State state) {
        if (state != Connection::State::Online)
            return;
        QTextStream(stdout) << "messenger-package-probe: " << parser.value(username)
                            << " signed in to " << parser.value(server) << Qt::endl;
        QCoreApplication::exit(0);
    });
    // A server that never answers fails the test instead of hanging it.
    QTimer::singleShot(parser.value(timeout).toInt(), &app, [&err] {
        err << "messenger-package-probe: not online in time" << Qt::endl;
        QCoreApplication::exit(1);
    });
    account->signIn(parser.value(password));
    return QCoreApplication::exec();
}
