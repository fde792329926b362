#pragma once

// Every QML module of the app is a static plugin: a binary that loads Main.qml includes this once
// (and links messenger_qml_plugins).
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Messenger_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_CorePlugin)
Q_IMPORT_QML_PLUGIN(Messenger_OnboardingPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_ChatsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_GroupsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_ConversationPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_SearchPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_SettingsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_DesktopPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_MediaPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_ShellPlugin)
