// Fuzz target for the admin listener's HTTP request parser (server/ops/HttpRequestParser): the
// bytes a peer sends to /metrics, /healthz and /readyz before anything answers.
//
// Built like fuzz_frame (see CMakeLists.txt): a libFuzzer binary with -DENABLE_FUZZING=ON, else a
// CTest that replays the seed corpus in corpus/http_request/ plus deterministic mutations of it.
// Besides "no crash", each input is checked differentially: fed at once and fed in pieces, the
// parser must reach the same state, error status and request.

#include "ops/HttpRequestParser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using Server::HttpRequestParser;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_http_request: %s\n", what);
        std::abort();
    }
}

// A small cap too, so the 431 paths are reached by short inputs.
void run(QByteArrayView bytes, qsizetype cap, qsizetype piece)
{
    HttpRequestParser whole(cap);
    whole.feed(bytes);
    HttpRequestParser pieces(cap);
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        pieces.feed(bytes.sliced(at, std::min(piece, bytes.size() - at)));

    check(whole.state() == pieces.state(), "state depends on how the bytes were split");
    check(whole.errorStatus() == pieces.errorStatus(), "status depends on the split");
    if (whole.state() == HttpRequestParser::State::Error)
        check(whole.errorStatus() == 400 || whole.errorStatus() == 431
                  || whole.errorStatus() == 505,
              "unexpected error status");
    if (whole.state() == HttpRequestParser::State::Complete) {
        const HttpRequestParser::Request &a = whole.request();
        const HttpRequestParser::Request &b = pieces.request();
        check(a.method == b.method && a.target == b.target && a.headers == b.headers,
              "request depends on the split");
        check(!a.method.isEmpty() && a.path.startsWith('/'), "incomplete request accepted");
        check(a.version == "HTTP/1.1" || a.version == "HTTP/1.0", "bad version accepted");
        check(a.contentLength >= 0, "negative Content-Length");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the piece size and the cap; the rest is the request.
    const qsizetype piece = 1 + data[0] % 16;
    const qsizetype cap = (data[0] & 0x80) ? 64 : HttpRequestParser::DefaultMaxHeadBytes;
    run(QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)), cap, piece);
    return 0;
}

#ifndef MESSENGER_LIBFUZZER
#include "FuzzReplay.h"

// fuzz_http_request_replay CORPUS_DIR [file…]: replays each corpus file (and file given) with
// several piece sizes and both caps, then deterministic mutations of the corpus.
int main(int argc, char **argv)
{
    QList<QByteArray> corpus;
    if (!FuzzReplay::readCorpus(FuzzReplay::arguments(argc, argv), corpus))
        return 2;
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
        return 2;
    }
    // Oversized heads, which a file corpus would not hold.
    corpus << "GET /metrics HTTP/1.1\r\nHost: a\r\nX: " + QByteArray(9000, 'a') + "\r\n\r\n";
    corpus << QByteArray(10000, '\n') + "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    int runs = 0;
    for (const QByteArray &seed : std::as_const(corpus)) {
        for (char control : {'\x00', '\x03', '\x0f', '\x80', '\x87'}) {
            FuzzReplay::run(control + seed);
            ++runs;
        }
    }
    // The first byte (piece size and cap) is drawn afresh and never edited; the characters that
    // matter most to the grammar are inserted too.
    std::mt19937 random(20261202);
    for (const QByteArray &seed : std::as_const(corpus)) {
        for (int i = 0; i < 50000; ++i, ++runs) {
            const QByteArray prefixed = char(random()) + seed;
            FuzzReplay::run(FuzzReplay::mutate(prefixed, random, 1, "\r\n :?/"));
        }
    }
    std::printf("fuzz_http_request: %d inputs parsed without a crash or disagreement\n", runs);
    return 0;
}
#endif
