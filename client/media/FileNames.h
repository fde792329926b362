#pragma once

#include <QString>

//! File names that came from someone else (an attachment's `name`) made safe to show and to save
//! under (docs/design media.md §10.1). A received name is never used as a path by itself.
namespace Client::FileNames {

inline constexpr int MaxNameBytes = 255; //!< UTF-8 bytes, what Linux file systems allow
inline constexpr QLatin1StringView Fallback {"file"};

//! A single harmless file name: the base name only (no `/`, `\`, `..`, drive letters), without
//! NUL, control characters, bidi controls (U+202E and the rest) or zero-width characters, without
//! leading dots or trailing dots and spaces, not a reserved device name (CON, NUL, COM1, …), at
//! most MaxNameBytes UTF-8 bytes with the extension kept. Never empty ("file" when nothing stays).
QString sanitize(const QString &name);

//! A path inside `dir` for `name` (sanitised here) that does not exist yet: "name (1).ext",
//! "name (2).ext", … when it does. Empty when `dir` is not an existing folder or no free name is
//! found. The result's canonical folder is `dir`'s: it never points outside the chosen folder.
//! Writers still open it exclusively (QIODevice::NewOnly), as another program may race them.
QString uniqueIn(const QString &dir, const QString &name);

} // namespace Client::FileNames
