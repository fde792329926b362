#pragma once

#include <QCborStreamReader>
#include <QCborValue>
#include <QLatin1StringView>
#include <QString>

//! CBOR for decoders of untrusted bytes that need more than QCborValue::fromCbor gives: text
//! strings exactly as sent (Qt's own decoding takes a U+FEFF that starts one for a byte-order
//! mark and drops it), bounded nesting and no map with a key twice. Run it on bytes that
//! QCborValue::fromCbor has already accepted (that pass checks the encoding and the UTF-8).
namespace Protocol::ExactCbor {

//! Why read() refused: "not_cbor", "limit" (nested too deep) or "field" (a key twice), and a
//! sentence.
struct Problem
{
    QLatin1StringView code;
    QString message;
};

//! The item at reader, containers at most maxNesting deep (the outermost is level 1); an invalid
//! value, with the reason in problem, when refused.
QCborValue read(QCborStreamReader &reader, int maxNesting, Problem &problem);

} // namespace Protocol::ExactCbor
