#include "AppTestSupport.h"

#include <QSignalSpy>
#include <QTest>

SignedInApp::SignedInApp() = default;

SignedInApp::~SignedInApp() = default;

bool SignedInApp::signUp(const QUrl &server, const QString &username, const QString &displayName)
{
    AppController::setOptions({m_dir.path(), /*memoryVault*/ true, {}});
    m_app = std::make_unique<AppController>();
    m_app->useServer(server.toString());
    if (m_app->stage() != AppController::Stage::SignIn)
        return false;
    m_app->registerUser(username, displayName, QStringLiteral("correct horse battery"), {});
    return QTest::qWaitFor([this] { return m_app->stage() == AppController::Stage::Main; }, 15'000);
}

Account *SignedInApp::account() const
{
    return m_app ? m_app->account() : nullptr;
}
