#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

//! A minimal CBOR codec for the load generator's hot path.
//!
//! QCborValue builds a tree of refcounted containers for every frame; at 150k frames a second
//! that alone would make the client the bottleneck. The server's frames are flat maps of text
//! keys (shared/protocol/Frame.h), so the client reads them in place without allocating and
//! writes requests straight into the frame buffer.
namespace Cbor {

//! Appends CBOR items to a byte string. The caller keeps the counts of maps and arrays right.
class Writer
{
public:
    explicit Writer(std::string *out)
        : m_out(out)
    {
    }

    void map(std::uint64_t pairs) { head(5, pairs); }
    void array(std::uint64_t items) { head(4, items); }
    void integer(std::int64_t value);
    void text(std::string_view value);
    void bytes(std::string_view value);
    void boolean(bool value) { m_out->push_back(char(value ? 0xf5 : 0xf4)); }

    //! A key and its value in one call: key(k).integer(v) reads worse than field(k, v).
    void field(std::string_view key, std::int64_t value)
    {
        text(key);
        integer(value);
    }
    void field(std::string_view key, std::string_view value)
    {
        text(key);
        text(value);
    }

private:
    void head(int major, std::uint64_t argument);

    std::string *m_out;
};

//! A view of one encoded item. Reading past the end, or a value of another type, gives an
//! invalid view or the fallback value: the server is trusted, but a bad frame must not crash
//! the benchmark.
class Value
{
public:
    Value() = default;
    Value(const std::uint8_t *begin, const std::uint8_t *end)
        : m_begin(begin)
        , m_end(end)
    {
    }

    bool isValid() const { return m_begin && m_begin < m_end; }
    bool isMap() const { return isValid() && (*m_begin >> 5) == 5; }
    bool isArray() const { return isValid() && (*m_begin >> 5) == 4; }
    bool isText() const { return isValid() && (*m_begin >> 5) == 3; }

    std::int64_t toInteger(std::int64_t fallback = 0) const;
    bool toBool(bool fallback = false) const;
    std::string_view toText() const; //!< empty unless a definite-length text string
    std::string_view toBytes() const; //!< empty unless a definite-length byte string

    //! The value of key in this map, or an invalid view.
    Value operator[](std::string_view key) const;

    //! Number of entries of a map or array (definite length only), else 0.
    std::uint64_t count() const;
    //! Calls fn(Value) for each element of an array. False when the array is malformed.
    template<typename Fn>
    bool forEachElement(Fn fn) const;

    //! The first byte after this item, or nullptr when it is malformed.
    const std::uint8_t *skip() const { return skipItem(m_begin, m_end, 0); }

private:
    static const std::uint8_t *skipItem(const std::uint8_t *p, const std::uint8_t *end, int depth);
    static bool readHead(const std::uint8_t *&p, const std::uint8_t *end, int *major,
                         std::uint64_t *argument, bool *indefinite);

    const std::uint8_t *m_begin = nullptr;
    const std::uint8_t *m_end = nullptr;
};

template<typename Fn>
bool Value::forEachElement(Fn fn) const
{
    if (!isArray())
        return false;
    const std::uint8_t *p = m_begin;
    int major = 0;
    std::uint64_t items = 0;
    bool indefinite = false;
    if (!readHead(p, m_end, &major, &items, &indefinite) || indefinite)
        return false;
    for (std::uint64_t i = 0; i < items; ++i) {
        const std::uint8_t *next = skipItem(p, m_end, 0);
        if (!next)
            return false;
        fn(Value(p, next));
        p = next;
    }
    return true;
}

} // namespace Cbor
