#!/usr/bin/python3
"""Cross-checks the attachment blob cipher (shared/media/BlobCipher) against an independent
implementation of the same format written here with PyNaCl (python3-nacl, libsodium's AEAD through
Python). docs/protocol.md, "Attachments", describes the format:

    header  = "MSGB" | version 1 | log2(chunk) 16 | 0 0 | 16-byte nonce prefix      (24 bytes)
    chunk i = XChaCha20-Poly1305-IETF(key, nonce = prefix | i as 7 bytes BE | last flag,
                                      ad = header, plaintext[i*65536 : (i+1)*65536])

Usage:
    blob_cipher_crosscheck.py TOOL     encrypt/decrypt both ways with TOOL (blob_cipher_tool) and
                                       with this file; exits non-zero on any mismatch (a CTest)
    blob_cipher_crosscheck.py --vectors
                                       prints the known-answer vectors pasted into
                                       tst_blob_cipher.cpp
"""

import hashlib
import os
import subprocess
import sys
import tempfile

from nacl.bindings import (crypto_aead_xchacha20poly1305_ietf_decrypt,
                           crypto_aead_xchacha20poly1305_ietf_encrypt)
from nacl.exceptions import CryptoError

CHUNK = 65536
TAG = 16
HEADER = 24


def header_for(prefix):
    assert len(prefix) == 16
    return b"MSGB" + bytes([1, 16, 0, 0]) + prefix


def nonce_for(prefix, index, last):
    return prefix + index.to_bytes(7, "big") + bytes([1 if last else 0])


def encrypt(key, prefix, plain):
    header = header_for(prefix)
    chunks = [plain[i:i + CHUNK] for i in range(0, len(plain), CHUNK)] or [b""]
    out = [header]
    for index, chunk in enumerate(chunks):
        nonce = nonce_for(prefix, index, index == len(chunks) - 1)
        out.append(crypto_aead_xchacha20poly1305_ietf_encrypt(chunk, header, nonce, key))
    return b"".join(out)


def decrypt(key, blob):
    """The plaintext, or raises ValueError / CryptoError."""
    if len(blob) < HEADER + TAG:
        raise ValueError("too short")
    header = blob[:HEADER]
    if header[:8] != b"MSGB" + bytes([1, 16, 0, 0]):
        raise ValueError("bad header")
    prefix = header[8:]
    body = blob[HEADER:]
    pieces = [body[i:i + CHUNK + TAG] for i in range(0, len(body), CHUNK + TAG)]
    if len(pieces[-1]) < TAG or (len(pieces) > 1 and len(pieces[-1]) == TAG):
        raise ValueError("impossible size")
    plain = []
    for index, piece in enumerate(pieces):
        nonce = nonce_for(prefix, index, index == len(pieces) - 1)
        plain.append(crypto_aead_xchacha20poly1305_ietf_decrypt(piece, header, nonce, key))
    return b"".join(plain)


# ---- known-answer vectors ------------------------------------------------------------------------

VECTOR_KEY = bytes(range(32))
VECTOR_PREFIX = bytes(range(0xA0, 0xB0))


def vector_plaintexts():
    return [
        ("empty", b""),
        ("hello", b"hello, blob"),
        ("two_chunks", bytes((i * 7 + 3) & 0xFF for i in range(CHUNK + 1))),
    ]


def print_vectors():
    print("key    ", VECTOR_KEY.hex())
    print("prefix ", VECTOR_PREFIX.hex())
    for name, plain in vector_plaintexts():
        blob = encrypt(VECTOR_KEY, VECTOR_PREFIX, plain)
        print(name, "size", len(plain), "csize", len(blob))
        if len(blob) <= 128:
            print("  cipher", blob.hex())
        print("  sha256", hashlib.sha256(blob).hexdigest())


# ---- the cross-check against the C++ tool --------------------------------------------------------

failures = 0


def expect(condition, what):
    global failures
    if not condition:
        failures += 1
        print("FAIL:", what)


def run(tool, *args):
    return subprocess.run([tool, *[str(a) for a in args]], capture_output=True, check=False)


def crosscheck(tool):
    sizes = [0, 1, 65535, 65536, 65537, 3 * CHUNK, 200_000]
    with tempfile.TemporaryDirectory() as folder:
        plain_path = os.path.join(folder, "plain")
        blob_path = os.path.join(folder, "blob")
        out_path = os.path.join(folder, "out")
        for size in sizes:
            plain = os.urandom(size)
            key = os.urandom(32)
            prefix = os.urandom(16)
            with open(plain_path, "wb") as f:
                f.write(plain)

            # Same key and prefix: byte-identical blobs, and the tool's SHA-256 is the blob's.
            result = run(tool, "encrypt", key.hex(), plain_path, blob_path, prefix.hex())
            expect(result.returncode == 0, f"size {size}: tool encrypt failed: {result.stderr}")
            with open(blob_path, "rb") as f:
                ours = f.read()
            expect(ours == encrypt(key, prefix, plain), f"size {size}: blobs differ")
            expect(result.stdout.decode().strip() == hashlib.sha256(ours).hexdigest(),
                   f"size {size}: the tool's sha256 is wrong")

            # Ours (random prefix) → decrypted here.
            result = run(tool, "encrypt", key.hex(), plain_path, blob_path)
            with open(blob_path, "rb") as f:
                ours = f.read()
            try:
                expect(decrypt(key, ours) == plain, f"size {size}: python decrypts wrongly")
            except (ValueError, CryptoError) as e:
                expect(False, f"size {size}: python refuses the tool's blob: {e}")

            # Made here → decrypted by the tool.
            theirs = encrypt(key, os.urandom(16), plain)
            with open(blob_path, "wb") as f:
                f.write(theirs)
            result = run(tool, "decrypt", key.hex(), blob_path, out_path)
            expect(result.returncode == 0, f"size {size}: tool refuses python's blob: "
                   f"{result.stderr}")
            if result.returncode == 0:
                with open(out_path, "rb") as f:
                    expect(f.read() == plain, f"size {size}: tool decrypts wrongly")

            # Damage made here is refused by the tool: a flipped bit, a dropped final chunk.
            damaged = [bytearray(theirs)]
            damaged[0][len(theirs) // 2] ^= 0x01
            if size > CHUNK:
                damaged.append(theirs[:HEADER + (len(theirs) - HEADER - 1) // (CHUNK + TAG)
                                      * (CHUNK + TAG)])
            for index, bad in enumerate(damaged):
                with open(blob_path, "wb") as f:
                    f.write(bad)
                result = run(tool, "decrypt", key.hex(), blob_path, out_path)
                expect(result.returncode != 0, f"size {size}: damage {index} not detected")
    print(f"blob_cipher_crosscheck: {len(sizes)} sizes, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--vectors":
        print_vectors()
        sys.exit(0)
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(crosscheck(sys.argv[1]))
