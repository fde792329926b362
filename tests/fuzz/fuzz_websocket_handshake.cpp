// Fuzz target for messengerd's WebSocket upgrade request parser (server/core/WebSocketHandshake):
// the first bytes any client sends to the plain ws:// port.
//
// Built like fuzz_frame (see CMakeLists.txt): a libFuzzer binary with -DENABLE_FUZZING=ON, else a
// CTest that replays the seeds and deterministic mutations of them. Besides "no crash", each
// input is checked: an accepted request has a 16-byte key and lies within the input and the
// limit, a refusal is one of the statuses the server sends, and bytes after a complete head
// (frames sent right behind the request) never change the outcome.

#include "core/WebSocketHandshake.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace Handshake = Server::WebSocketHandshake;
using Outcome = Handshake::Request::Outcome;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_websocket_handshake: %s\n", what);
        std::abort();
    }
}

void run(QByteArrayView bytes, qsizetype cap)
{
    const Handshake::Request request = Handshake::parse(bytes, cap);
    switch (request.outcome) {
    case Outcome::Incomplete:
        check(bytes.size() <= cap, "an incomplete head over the limit was not refused");
        return;
    case Outcome::Accepted:
        check(request.headBytes >= 4 && request.headBytes <= bytes.size(), "head out of range");
        check(request.headBytes - 4 <= cap, "a head over the limit was accepted");
        check(QByteArray::fromBase64(request.key).size() == 16, "a bad key was accepted");
        check(Handshake::switchingProtocols(request.key, "fuzz")
                  .contains(Handshake::acceptKey(request.key)),
              "the 101 answer lacks the accept key");
        break;
    case Outcome::Refused:
        check(request.status == "400 Bad Request" || request.status == "426 Upgrade Required"
                  || request.status == "431 Request Header Fields Too Large",
              "unexpected refusal status");
        check(Handshake::refusal(request.status, request.extraHeaders).endsWith("\r\n\r\n"),
              "the refusal is not a whole HTTP head");
        if (request.status.startsWith("431"))
            return; // a longer input may reach the limit differently
        break;
    }
    // Frames right behind the head are not the parser's business.
    const QByteArray longer = bytes.toByteArray() + "\x82\x85junk\r\n\r\n";
    const Handshake::Request again = Handshake::parse(longer, cap);
    check(again.outcome == request.outcome && again.headBytes == request.headBytes
              && again.key == request.key && again.status == request.status,
          "bytes after the head changed the outcome");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the limit (small ones reach the 431 paths); the rest is the request.
    const qsizetype cap = (data[0] & 0x80) ? 8 * 1024 : 32 + data[0] % 128;
    run(QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)), cap);
    return 0;
}

#ifndef MESSENGER_LIBFUZZER
#include "FuzzReplay.h"

namespace {

QList<QByteArray> seeds()
{
    const QByteArray upgrade = "GET / HTTP/1.1\r\nHost: 127.0.0.1:7400\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: "
                               "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    QList<QByteArray> list;
    list << upgrade;
    list << upgrade + "\x82\x80\x01\x02\x03\x04"; // a frame right behind it
    list << "GET /chat HTTP/1.1\nupgrade: WebSocket\nconnection: keep-alive, upgrade\n"
            "sec-websocket-key: AAAAAAAAAAAAAAAAAAAAAA==\nsec-websocket-version: 13\r\n\r\n";
    list << "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 8\r\n\r\n";
    list << "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc";
    list << "GET / HTTP/1.1\r\nX: " + QByteArray(9000, 'a') + "\r\n\r\n";
    return list;
}

} // namespace

// fuzz_websocket_handshake_replay [file…]: replays the given files, or the seeds (with every kind
// of limit) plus deterministic mutations of them. --write-seeds DIR writes the seeds for
// libFuzzer.
int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--write-seeds") == 0) {
        QList<QByteArray> prefixed;
        for (const QByteArray &seed : seeds())
            prefixed << '\x80' + seed;
        return FuzzReplay::writeSeeds(QString::fromLocal8Bit(argv[2]), prefixed) ? 0 : 2;
    }
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
        for (char control : {'\x00', '\x40', '\x7f', '\x80'}) {
            FuzzReplay::run(control + seed);
            ++runs;
        }
        for (int i = 0; i < 50000; ++i, ++runs) {
            const QByteArray prefixed = char(random()) + seed;
            FuzzReplay::run(FuzzReplay::mutate(prefixed, random, 1, "\r\n :,"));
        }
    }
    std::printf("fuzz_websocket_handshake: %d inputs parsed without a crash or disagreement\n",
                runs);
    return 0;
}
#endif
