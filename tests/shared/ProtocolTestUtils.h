#pragma once

// Small helpers the protocol tests share: building CBOR bodies and printing error codes.

#include "protocol/Protocol.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QStringList>
#include <QtGlobal>

#include <initializer_list>

namespace Protocol {
//! Lets QCOMPARE print the wire name of an error code when a comparison fails (found by ADL).
inline char *toString(ErrorCode code)
{
    const QLatin1StringView name = errorCodeName(code);
    return qstrdup(QByteArray(name.data(), name.size()).constData());
}
} // namespace Protocol

namespace TestCbor {

inline constexpr qint64 MaxId = qint64(1) << 53; //!< the largest id Requests.cpp accepts

inline QByteArray cbor(const QCborValue &value)
{
    return value.toCbor();
}

//! The map as it comes out of the other end: encoded to bytes and parsed again.
inline QCborMap throughBytes(const QCborMap &map)
{
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(cbor(map), &error);
    return error.error == QCborError::NoError ? value.toMap() : QCborMap();
}

inline QCborMap with(QCborMap map, const QString &key, const QCborValue &value)
{
    map.insert(key, value);
    return map;
}

inline QCborMap without(QCborMap map, const QString &key)
{
    map.remove(key);
    return map;
}

//! The map's keys, sorted: comparisons that do not depend on insertion order.
inline QStringList keysOf(const QCborMap &map)
{
    QStringList keys;
    for (const QCborValue &key : map.keys())
        keys.append(key.toString());
    keys.sort();
    return keys;
}

inline QCborArray integers(std::initializer_list<qint64> values)
{
    QCborArray array;
    for (qint64 v : values)
        array.append(v);
    return array;
}

inline QCborArray repeated(const QCborValue &value, qint64 count)
{
    QCborArray array;
    for (qint64 i = 0; i < count; ++i)
        array.append(value);
    return array;
}

} // namespace TestCbor
