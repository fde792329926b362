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
    if (argc == 3 && qstrcmp(argv[1], "--write-seeds") == 0) {
        int index = 0;
        for (const QByteArray &seed : seeds()) {
            const QByteArray path = QByteArray(argv[2]) + "/seed-" + QByteArray::number(index++);
            FILE *file = std::fopen(path.constData(), "wb");
            if (!file
                || std::fwrite(seed.constData(), 1, size_t(seed.size()), file)
                    != size_t(seed.size()))
                return 2;
            std::fclose(file);
        }
        return 0;
    }
    // Replays the given files, or the seeds plus deterministic mutations of them.
    if (argc > 1) {
        for (int i = 1; i < argc; ++i) {
            FILE *file = std::fopen(argv[i], "rb");
            if (!file)
                return 2;
            QByteArray bytes;
            char buffer[4096];
            size_t n;
            while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
                bytes.append(buffer, qsizetype(n));
            std::fclose(file);
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                   size_t(bytes.size()));
        }
        return 0;
    }
    std::mt19937 random(20261122);
    const QList<QByteArray> all = seeds();
    int runs = 0;
    for (const QByteArray &seed : all) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(seed.constData()),
                               size_t(seed.size()));
        for (int i = 0; i < 100000; ++i, ++runs) {
            QByteArray mutated = seed;
            const int edits = 1 + int(random() % 4);
            for (int e = 0; e < edits; ++e) {
                const auto position = qsizetype(random() % quint32(mutated.size() + 1));
                switch (random() % 4) {
                case 0:
                    if (position < mutated.size())
                        mutated[position] = char(random());
                    break;
                case 1:
                    mutated.insert(position, char(random()));
                    break;
                case 2:
                    if (position < mutated.size())
                        mutated.remove(position, 1 + qsizetype(random() % 8));
                    break;
                default:
                    mutated.truncate(position);
                }
            }
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(mutated.constData()),
                                   size_t(mutated.size()));
        }
    }
    std::printf("fuzz_frame: %d mutated frames decoded without a crash\n", runs);
    return 0;
}
#endif
