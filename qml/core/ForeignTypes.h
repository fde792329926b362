#pragma once

#include "account/Account.h"

#include <QQmlEngine>
#include <QSettings>

namespace App {

//! Client::Account for QML, as the screens get it (`required property Account account`, set to
//! App.account): its key, state and lastError. The core makes accounts, never QML.
struct ForeignAccount
{
    Q_GADGET
    QML_FOREIGN(Client::Account)
    QML_NAMED_ELEMENT(Account)
    QML_UNCREATABLE("An Account comes from App.account.")
};

//! The app's settings (app.ini, a QSettings) for QML, handed to the screens that keep something
//! there (`settings: App.settings`); QML reads and writes them through those screens' C++.
struct ForeignSettings
{
    Q_GADGET
    QML_FOREIGN(QSettings)
    QML_NAMED_ELEMENT(AppSettings)
    QML_UNCREATABLE("The app's settings come from App.settings.")
};

} // namespace App
