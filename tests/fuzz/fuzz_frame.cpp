// Fuzz target for everything the server does with a peer's bytes before any handler runs:
// frame decoding, request lookup and validation, and the records' CBOR readers.
//
// Built two ways (see CMakeLists.txt): with clang's libFuzzer (-DENABLE_FUZZING=ON, scripts/fuzz)
// for long coverage-guided runs, and as a plain CTest that replays built-in seeds and a fixed
// number of deterministic mutations of them, so every test run exercises the decoder.

#include "protocol/Frame.h"
#include "protocol/Records.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QCborValue>

#include <cstdint>
#include <cstdio>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const Protocol::DecodeResult decoded = Protocol::decodeFrame(bytes);
    if (!decoded.ok())
        return 0;
    if (const Protocol::RequestSpec *spec = Protocol::findRequest(decoded.frame.type))
        (void)Protocol::validate(*spec, decoded.frame.body);
    const QCborMap &body = decoded.frame.body;
    (void)Protocol::MessageRecord::fromCbor(body);
    (void)Protocol::ConversationInfo::fromCbor(body);
    (void)Protocol::MemberInfo::fromCbor(body);
    (void)Protocol::ProfileInfo::fromCbor(body);
    (void)Protocol::ReceiptInfo::fromCbor(body);
    (void)Protocol::DeviceInfo::fromCbor(body);
    return 0;
}

#ifndef MESSENGER_LIBFUZZER
#include "FuzzReplay.h"

namespace {
using L = QLatin1StringView;

QList<QByteArray> seeds()
{
    QList<QByteArray> list;
    list << Protocol::encodeRequest(Protocol::Request::Register, 1,
                                    {{L("username"), L("alice")},
                                     {L("displayName"), L("Alice")},
                                     {L("password"), L("password1")},
                                     {L("protocol"), 1}});
    list << Protocol::encodeRequest(Protocol::Request::Send, 2,
                                    {{L("conversationId"), 3},
                                     {L("clientId"), L("c-1")},
                                     {L("contentType"), L("text/plain")},
                                     {L("content"), QByteArray("hello")}});
    list << Protocol::encodeRequest(
        Protocol::Request::Sync, 3,
        {{L("cursors"), QCborArray {QCborArray {1, 5}, QCborArray {2, 0}}}});
    list << Protocol::encodeRequest(
        Protocol::Request::AddMembers, 4,
        {{L("conversationId"), 3}, {L("userIds"), QCborArray {1, 2, 3}}});
    Protocol::MessageRecord record;
    record.conversationId = 1;
    record.seq = 2;
    record.event =
        Protocol::MembershipEvent {QStringLiteral("added"), 1, {2, 3}, {}, Protocol::Role::None};
    list << Protocol::encodeEvent(Protocol::Event::Message, {{L("message"), record.toCbor()}});
    list << Protocol::encodeError(5, Protocol::ErrorCode::RateLimited, QStringLiteral("slow"), {},
                                  100);
    // Text that starts with U+FEFF takes decodeFrame's second, exact pass over the map.
    list << Protocol::encodeRequest(
        Protocol::Request::Send, 6,
        {{L("conversationId"), 3},
         {L("clientId"), QString(QChar(0xFEFF)) + QStringLiteral("c-2")},
         {QString(QChar(0xFEFF)) + QStringLiteral("key"), QCborArray {QString(QChar(0xFEFF))}},
         {L("contentType"), L("text/plain")},
         {L("content"), QByteArray("\xEF\xBB\xBF")}});
    return list;
}
} // namespace

int main(int argc, char **argv)
{
    // --write-seeds DIR: writes the seed corpus for libFuzzer.
    if (argc == 3 && qstrcmp(argv[1], "--write-seeds") == 0)
        return FuzzReplay::writeSeeds(QString::fromLocal8Bit(argv[2]), seeds()) ? 0 : 2;
    // Replays the given files, or the seeds plus deterministic mutations of them.
    if (argc > 1) {
        QList<QByteArray> files;
        if (!FuzzReplay::readCorpus(FuzzReplay::arguments(argc, argv), files))
            return 2;
        for (const QByteArray &file : std::as_const(files))
            FuzzReplay::run(file);
        return 0;
    }
    std::mt19937 random(20261122);
    const QList<QByteArray> all = seeds();
    int runs = 0;
    for (const QByteArray &seed : all) {
        FuzzReplay::run(seed);
        for (int i = 0; i < 100000; ++i, ++runs)
            FuzzReplay::run(FuzzReplay::mutate(seed, random));
    }
    std::printf("fuzz_frame: %d mutated frames decoded without a crash\n", runs);
    return 0;
}
#endif
