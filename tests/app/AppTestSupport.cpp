#include "AppTestSupport.h"

#include "account/Account.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Client;
using namespace App;

SignedInApp::SignedInApp() = default;

SignedInApp::~SignedInApp() = default;

bool SignedInApp::signUp(const QUrl &server, const QString &username, const QString &displayName)
{
    AppController::setOptions({m_dir.path(), /*memoryVault*/ true, {}});
    m_app = std::make_unique<AppController>();
    m_app->onboarding()->useServer(server.toString());
    if (m_app->onboarding()->stage() != Onboarding::Stage::SignIn)
        return false;
    m_app->onboarding()->registerUser(username, displayName,
                                      QStringLiteral("correct horse battery"), {});
    return QTest::qWaitFor(
        [this] { return m_app->onboarding()->stage() == Onboarding::Stage::Done; }, 15'000);
}

qint64 SignedInApp::directChatWith(Account *peer)
{
    Account *self = account();
    if (!self || !peer)
        return 0;
    const qint64 before = self->store()->conversationIds().size();
    peer->openDirect(self->store()->selfId());
    const auto opened = [&] {
        return self->store()->conversationIds().size() > before
            && !peer->store()->conversationIds().isEmpty();
    };
    if (!QTest::qWaitFor(opened, 15'000))
        return 0;
    const QList<qint64> mine = self->store()->conversationIds();
    for (qint64 id : peer->store()->conversationIds()) {
        if (mine.contains(id))
            return id;
    }
    return 0;
}

Account *SignedInApp::account() const
{
    return m_app ? m_app->account() : nullptr;
}
