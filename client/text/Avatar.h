#pragma once

#include <QString>

namespace Client {

//! What stands in for a picture: initials on a colour that stays the same for the same id.
//! Colours are "#rrggbb" strings, so the core needs no Qt Gui.
namespace Avatar {

//! Up to two letters: the first of the first and of the last word ("Ada Lovelace" → "AL").
QString initials(const QString &name);
//! A colour from a fixed palette that reads well with white initials, chosen by id.
QString color(qint64 id);

} // namespace Avatar

} // namespace Client
