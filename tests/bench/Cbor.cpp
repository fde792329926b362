#include "Cbor.h"

#include <cstring>

namespace Cbor {

void Writer::head(int major, std::uint64_t argument)
{
    const char type = char(major << 5);
    if (argument < 24) {
        m_out->push_back(char(type | char(argument)));
    } else if (argument <= 0xff) {
        m_out->push_back(char(type | 24));
        m_out->push_back(char(argument));
    } else if (argument <= 0xffff) {
        m_out->push_back(char(type | 25));
        m_out->push_back(char(argument >> 8));
        m_out->push_back(char(argument));
    } else if (argument <= 0xffffffffu) {
        m_out->push_back(char(type | 26));
        for (int shift = 24; shift >= 0; shift -= 8)
            m_out->push_back(char(argument >> shift));
    } else {
        m_out->push_back(char(type | 27));
        for (int shift = 56; shift >= 0; shift -= 8)
            m_out->push_back(char(argument >> shift));
    }
}

void Writer::integer(std::int64_t value)
{
    if (value >= 0)
        head(0, std::uint64_t(value));
    else
        head(1, std::uint64_t(-(value + 1)));
}

void Writer::text(std::string_view value)
{
    head(3, value.size());
    m_out->append(value);
}

void Writer::bytes(std::string_view value)
{
    head(2, value.size());
    m_out->append(value);
}

bool Value::readHead(const std::uint8_t *&p, const std::uint8_t *end, int *major,
                     std::uint64_t *argument, bool *indefinite)
{
    if (p >= end)
        return false;
    const std::uint8_t initial = *p++;
    *major = initial >> 5;
    const int info = initial & 0x1f;
    *indefinite = false;
    if (info < 24) {
        *argument = std::uint64_t(info);
        return true;
    }
    if (info == 31) {
        *indefinite = true;
        *argument = 0;
        return *major >= 2 && *major <= 5;
    }
    if (info > 27)
        return false;
    const int length = 1 << (info - 24);
    if (end - p < length)
        return false;
    std::uint64_t value = 0;
    for (int i = 0; i < length; ++i)
        value = (value << 8) | *p++;
    *argument = value;
    return true;
}

const std::uint8_t *Value::skipItem(const std::uint8_t *p, const std::uint8_t *end, int depth)
{
    if (!p || depth > 32)
        return nullptr;
    int major = 0;
    std::uint64_t argument = 0;
    bool indefinite = false;
    if (!readHead(p, end, &major, &argument, &indefinite))
        return nullptr;
    switch (major) {
    case 0:
    case 1:
    case 7:
        return p;
    case 6:
        return skipItem(p, end, depth + 1);
    case 2:
    case 3:
        if (indefinite) {
            while (p < end && *p != 0xff) {
                p = skipItem(p, end, depth + 1);
                if (!p)
                    return nullptr;
            }
            return p < end ? p + 1 : nullptr;
        }
        if (std::uint64_t(end - p) < argument)
            return nullptr;
        return p + argument;
    default: {
        const std::uint64_t items = major == 5 ? argument * 2 : argument;
        if (indefinite) {
            while (p < end && *p != 0xff) {
                p = skipItem(p, end, depth + 1);
                if (!p)
                    return nullptr;
            }
            return p < end ? p + 1 : nullptr;
        }
        for (std::uint64_t i = 0; i < items; ++i) {
            p = skipItem(p, end, depth + 1);
            if (!p)
                return nullptr;
        }
        return p;
    }
    }
}

std::int64_t Value::toInteger(std::int64_t fallback) const
{
    const std::uint8_t *p = m_begin;
    int major = 0;
    std::uint64_t argument = 0;
    bool indefinite = false;
    if (!readHead(p, m_end, &major, &argument, &indefinite))
        return fallback;
    if (major == 0)
        return std::int64_t(argument);
    if (major == 1)
        return -1 - std::int64_t(argument);
    return fallback;
}

bool Value::toBool(bool fallback) const
{
    if (!isValid())
        return fallback;
    if (*m_begin == 0xf5)
        return true;
    if (*m_begin == 0xf4)
        return false;
    return fallback;
}

namespace {
std::string_view stringOf(const std::uint8_t *p, const std::uint8_t *end, int wantedMajor)
{
    if (!p || p >= end || (*p >> 5) != wantedMajor || (*p & 0x1f) == 31)
        return {};
    const std::uint8_t info = *p & 0x1f;
    std::uint64_t length = info;
    ++p;
    if (info >= 24) {
        if (info > 27)
            return {};
        const int size = 1 << (info - 24);
        if (end - p < size)
            return {};
        length = 0;
        for (int i = 0; i < size; ++i)
            length = (length << 8) | *p++;
    }
    if (std::uint64_t(end - p) < length)
        return {};
    return {reinterpret_cast<const char *>(p), std::size_t(length)};
}
} // namespace

std::string_view Value::toText() const
{
    return stringOf(m_begin, m_end, 3);
}

std::string_view Value::toBytes() const
{
    return stringOf(m_begin, m_end, 2);
}

std::uint64_t Value::count() const
{
    const std::uint8_t *p = m_begin;
    int major = 0;
    std::uint64_t argument = 0;
    bool indefinite = false;
    if (!readHead(p, m_end, &major, &argument, &indefinite) || indefinite
        || (major != 4 && major != 5))
        return 0;
    return argument;
}

Value Value::operator[](std::string_view key) const
{
    const std::uint8_t *p = m_begin;
    int major = 0;
    std::uint64_t pairs = 0;
    bool indefinite = false;
    if (!readHead(p, m_end, &major, &pairs, &indefinite) || major != 5 || indefinite)
        return {};
    for (std::uint64_t i = 0; i < pairs; ++i) {
        const std::uint8_t *valueStart = skipItem(p, m_end, 0);
        if (!valueStart)
            return {};
        const std::string_view name = stringOf(p, valueStart, 3);
        const std::uint8_t *next = skipItem(valueStart, m_end, 0);
        if (!next)
            return {};
        if (name.size() == key.size() && std::memcmp(name.data(), key.data(), key.size()) == 0)
            return Value(valueStart, next);
        p = next;
    }
    return {};
}

} // namespace Cbor
