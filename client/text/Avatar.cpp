#include "Avatar.h"

#include <QStringList>

#include <array>

namespace Client {

namespace Avatar {

QString initials(const QString &name)
{
    const QStringList words = name.simplified().split(u' ', Qt::SkipEmptyParts);
    if (words.isEmpty())
        return QStringLiteral("?");
    // Whole code points: an emoji or a CJK extension character is two UTF-16 units.
    auto first = [](const QString &word) {
        const QList<uint> points = word.toUcs4();
        return points.isEmpty()
            ? QString()
            : QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData()), 1);
    };
    QString result = first(words.first());
    if (words.size() > 1)
        result += first(words.last());
    return result.toUpper();
}

QString color(qint64 id)
{
    static constexpr std::array palette {"#e57373", "#f06292", "#ba68c8", "#9575cd", "#7986cb",
                                         "#64b5f6", "#4fc3f7", "#4db6ac", "#81c784", "#aed581",
                                         "#ffb74d", "#ff8a65", "#a1887f", "#90a4ae"};
    const quint64 index = quint64(id) % palette.size();
    return QString::fromLatin1(palette[index]);
}

} // namespace Avatar

} // namespace Client
