// Quick Test runner for Messenger.Components: the module is linked in statically, so its
// resources are at qrc:/qt/qml and its plugin is imported here.
#include <QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(Messenger_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_MediaPlugin)

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)

#include "tst_qml_components.moc"
