#pragma once

#include <QCoreApplication>
#include <QString>

namespace Client {
struct Reply;
} // namespace Client

namespace App {

//! What the settings sections say when a request fails, beyond their own first sentence: offline,
//! the connection lost, too many attempts, the server unavailable, or what the server said.
class SettingsErrors
{
    Q_DECLARE_TR_FUNCTIONS(SettingsErrors)
public:
    static QString describe(const Client::Reply &reply);
};

} // namespace App
