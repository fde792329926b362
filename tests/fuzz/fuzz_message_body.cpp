// Fuzz target for the message body decoder (shared/protocol/MessageBody): the bytes any peer puts
// in a message's content under the body content type, which every client decodes.
//
// Built like fuzz_frame (see CMakeLists.txt): a libFuzzer binary with -DENABLE_FUZZING=ON, else a
// CTest that replays built-in seeds plus deterministic mutations of them. The decoder's source is
// compiled into the target so that libFuzzer's instrumentation covers it. Besides "no crash", each
// input is checked: an error has a documented code and a message, and a decoded body is valid,
// encodes, and decodes again to the same body and the same bytes.

#include "media/BlobCipher.h"
#include "protocol/Attachment.h"
#include "protocol/MessageBody.h"

#include <QCborArray>
#include <QCborMap>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Protocol::Body;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_message_body: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const DecodedBody decoded = decode(bytes);
    if (!decoded.ok()) {
        static const QStringList codes {QStringLiteral("not_cbor"), QStringLiteral("not_map"),
                                        QStringLiteral("version"),  QStringLiteral("unknown_kind"),
                                        QStringLiteral("field"),    QStringLiteral("range"),
                                        QStringLiteral("limit")};
        check(codes.contains(decoded.error.code), "an undocumented error code");
        check(!decoded.error.message.isEmpty(), "an error without a message");
        check(decoded.body == MessageBody {}, "a half-decoded body beside an error");
        return 0;
    }
    check(validate(decoded.body).code.isEmpty(), "a decoded body fails validate()");
    const QByteArray encoded = encode(decoded.body);
    const DecodedBody again = decode(encoded);
    check(again.ok(), "a decoded body, encoded, does not decode");
    check(again.body == decoded.body, "a body changes through encode and decode");
    check(encode(again.body) == encoded, "encoding is not stable");
    return 0;
}

#ifndef MESSENGER_LIBFUZZER
#include "FuzzReplay.h"

namespace {
using namespace Qt::StringLiterals;

QList<QByteArray> seeds()
{
    QList<QByteArray> list;
    list << encode(text(u"hello"_s));
    MessageBody full = text(u"Hi @bob, *look* 😀 at https://example.org/a_(b)"_s);
    full.styles = {{Style::Bold, {0, 2}},
                   {Style::Italic, {0, 7}},
                   {Style::Strikethrough, {9, 6}},
                   {Style::Monospace, {16, 2}},
                   {Style::Spoiler, {19, 2}}};
    full.mentions = {{42, {3, 4}}};
    full.replyTo = {17, 9};
    full.forwarded = true;
    Attachment attachment;
    attachment.blobId = u"abcdefghijklmnopqrstuvwxyz"_s;
    attachment.key = QByteArray(32, 'k');
    attachment.size = 1234;
    attachment.cipherSize = Media::cipherSizeFor(1234);
    attachment.sha256 = QByteArray(32, 's');
    attachment.mime = u"image/png"_s;
    attachment.kind = AttachmentKind::Image;
    QCborMap withThumb = encodeAttachment(attachment);
    withThumb.insert(u"thumb"_s, QByteArray(16, 'x'));
    full.attachments = {encodeAttachment(attachment), withThumb};
    list << encode(full);
    list << encode(reaction(12, u"👨‍👩‍👧"_s));
    list << encode(reaction(12, QString()));
    MessageBody edited = edit(3, QChar(0xFEFF) + u"fixed @x"_s);
    edited.mentions = {{8, {7, 2}}};
    edited.styles = {{Style::Bold, {1, 5}}};
    list << encode(edited);
    // Keys the decoder ignores, and a version and kind written out.
    list << QCborValue(QCborMap {{u"v"_s, 1},
                                 {u"k"_s, u"text"_s},
                                 {u"text"_s, u"x"_s},
                                 {u"future"_s, QCborArray {1, 2.5, QCborValue::Null}},
                                 {7, u"y"_s}})
                .toCbor();
    return list;
}
} // namespace

// fuzz_message_body_replay [--write-seeds DIR | file…]: with files, replays them; else the seeds
// and deterministic mutations of them.
int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--write-seeds") == 0)
        return FuzzReplay::writeSeeds(QString::fromLocal8Bit(argv[2]), seeds()) ? 0 : 2;
    if (argc > 1) {
        QList<QByteArray> files;
        if (!FuzzReplay::readCorpus(FuzzReplay::arguments(argc, argv), files))
            return 2;
        for (const QByteArray &file : std::as_const(files))
            FuzzReplay::run(file);
        return 0;
    }
    std::mt19937 random(20261203);
    int runs = 0;
    for (const QByteArray &seed : seeds()) {
        FuzzReplay::run(seed);
        // CBOR heads worth inserting: maps, arrays, 8-byte integers, break, tags, false/true/null.
        for (int i = 0; i < 40000; ++i, ++runs)
            FuzzReplay::run(
                FuzzReplay::mutate(seed, random, 0, "\xa1\x81\x1b\xff\xc0\xf4\xf5\xf6\x60"));
    }
    std::printf("fuzz_message_body: %d mutated bodies decoded without a crash or a mismatch\n",
                runs);
    return 0;
}
#endif
