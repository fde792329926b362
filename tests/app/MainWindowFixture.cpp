#include "MainWindowFixture.h"

#include "AppController.h"
#include "QmlPlugins.h"

#include <QDir>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>

using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

MainWindowFixture::MainWindowFixture() = default;

MainWindowFixture::~MainWindowFixture()
{
    // The window and the App singleton with it, before the data folder goes.
    m_engine.reset();
}

bool MainWindowFixture::load(const QString &theme)
{
    AppController::Options options {m_dir.path(), /*memoryVault*/ true, theme};
    if (adjustOptions)
        adjustOptions(options);
    AppController::setOptions(options);
    QQuickStyle::setStyle(u"Material"_s);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_engine->load(QUrl(u"qrc:/qt/qml/Messenger/Shell/Main.qml"_s));
    if (m_engine->rootObjects().isEmpty() || !window() || !app())
        return false;
    return QTest::qWaitForWindowExposed(window());
}

void MainWindowFixture::quit()
{
    m_engine.reset(); // the window and the App singleton with it
}

bool MainWindowFixture::restart(const QString &theme)
{
    quit();
    return load(theme);
}

bool MainWindowFixture::screenshot(const QString &name) const
{
    QQuickWindow *w = window();
    if (!w)
        return false;
    QString folder = qEnvironmentVariable("MESSENGER_TEST_ARTIFACTS");
    if (folder.isEmpty())
        folder = QStringLiteral(QT_TESTCASE_BUILDDIR "/artifacts");
    if (!QDir().mkpath(folder))
        return false;
    return w->grabWindow().save(QDir(folder).filePath(name + u".png"_s));
}

bool MainWindowFixture::signUp(const QUrl &server, const QString &username,
                               const QString &displayName, const QString &theme)
{
    if (!load(theme))
        return false;
    app()->onboarding()->useServer(server.toString());
    app()->onboarding()->registerUser(username, displayName, u"correct horse battery"_s, {});
    const bool ok = QTest::qWaitFor(
        [this] {
            return app()->onboarding()->stage() == Onboarding::Stage::Done && page()
                && page()->property("currentId").isValid();
        },
        15'000);
    if (!ok)
        qWarning() << "no main page; stage" << app()->onboarding()->stage()
                   << app()->onboarding()->errorMessage();
    return ok;
}

AppController *MainWindowFixture::app() const
{
    // The App singleton the engine made for Main.qml.
    const int type = qmlTypeId("Messenger.Shell", 1, 0, "App");
    return m_engine && type >= 0 ? m_engine->singletonInstance<AppController *>(type) : nullptr;
}

Account *MainWindowFixture::account() const
{
    return app() ? app()->account() : nullptr;
}

QQuickWindow *MainWindowFixture::window() const
{
    return m_engine && !m_engine->rootObjects().isEmpty()
        ? qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst())
        : nullptr;
}

QQuickItem *MainWindowFixture::page() const
{
    QQuickWindow *w = window();
    if (!w)
        return nullptr;
    // Main.qml's Loader holds the page.
    const QList<QQuickItem *> items = w->findChildren<QQuickItem *>();
    for (QQuickItem *item : items) {
        if (item->inherits("QQuickLoader"))
            return item->property("item").value<QQuickItem *>();
    }
    return nullptr;
}

QObject *MainWindowFixture::find(const QString &objectName) const
{
    QQuickWindow *w = window();
    if (!w)
        return nullptr;
    if (QObject *found = w->findChild<QObject *>(objectName))
        return found;
    // Popups live on the overlay, outside the content item's children.
    return w->contentItem()->findChild<QObject *>(objectName);
}
