#pragma once

// What the fuzz targets' CTest replays share (the plain builds, without libFuzzer): reading a
// corpus, writing seeds for libFuzzer, feeding an input to the target, and the deterministic
// mutations that stand in for libFuzzer's in every test run.

#include <QByteArray>
#include <QByteArrayView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <random>

// Each target defines it; declared here for the replay loop.
// NOLINTNEXTLINE(readability-redundant-declaration)
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace FuzzReplay {

//! Feeds one input to the target.
inline void run(const QByteArray &input)
{
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()),
                           size_t(input.size()));
}

//! Reads the given files, and every file of the given folders (by name); false (with a message
//! on stderr) when one cannot be read.
inline bool readCorpus(const QStringList &paths, QList<QByteArray> &corpus)
{
    for (const QString &path : paths) {
        QStringList files;
        if (QFileInfo(path).isDir()) {
            for (const QString &name : QDir(path).entryList(QDir::Files, QDir::Name))
                files << QDir(path).filePath(name);
        } else {
            files << path;
        }
        for (const QString &file : std::as_const(files)) {
            QFile in(file);
            if (!in.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(file));
                return false;
            }
            corpus << in.readAll();
        }
    }
    return true;
}

//! argv[first…] as paths.
inline QStringList arguments(int argc, char **argv, int first = 1)
{
    QStringList paths;
    for (int i = first; i < argc; ++i)
        paths << QString::fromLocal8Bit(argv[i]);
    return paths;
}

//! Writes seed-0, seed-1, … into folder (which must exist), libFuzzer's starting corpus.
inline bool writeSeeds(const QString &folder, const QList<QByteArray> &seeds)
{
    int index = 0;
    for (const QByteArray &seed : seeds) {
        QFile out(QDir(folder).filePath(QStringLiteral("seed-%1").arg(index++)));
        if (!out.open(QIODevice::WriteOnly) || out.write(seed) != seed.size())
            return false;
    }
    return true;
}

//! One to four random edits of bytes at or after index from: overwrite, insert, remove a run,
//! truncate and, when alphabet is not empty, insert one of its bytes (the ones that matter most
//! to the grammar). The same random sequence always gives the same mutations.
inline QByteArray mutate(QByteArray bytes, std::mt19937 &random, qsizetype from = 0,
                         QByteArrayView alphabet = {})
{
    const int edits = 1 + int(random() % 4);
    const quint32 kinds = alphabet.isEmpty() ? 4 : 5;
    for (int e = 0; e < edits; ++e) {
        const auto position = from + qsizetype(random() % quint32(bytes.size() - from + 1));
        switch (random() % kinds) {
        case 0:
            if (position < bytes.size())
                bytes[position] = char(random());
            break;
        case 1:
            bytes.insert(position, char(random()));
            break;
        case 2:
            if (position < bytes.size())
                bytes.remove(position, 1 + qsizetype(random() % 8));
            break;
        case 3:
            if (alphabet.isEmpty()) {
                bytes.truncate(position);
            } else {
                bytes.insert(position, alphabet.at(qsizetype(random() % alphabet.size())));
            }
            break;
        default:
            bytes.truncate(position);
        }
    }
    return bytes;
}

} // namespace FuzzReplay
