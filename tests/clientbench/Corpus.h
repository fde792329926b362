#pragma once

#include <QString>
#include <QStringList>

#include <random>
#include <vector>

namespace ClientBench {

//! Message texts for the generated store and queries that find some of them: English-like words
//! with a long tail (Zipf: a few words are in many messages, most in few), and one message in ten
//! in Chinese. Deterministic for a seed, so a cached store and a new run agree.
class Corpus
{
public:
    explicit Corpus(quint64 seed);

    QString message();
    //! A substring a user might type: part of a word of some message, 3 to 6 letters.
    QString latinQuery();
    //! `characters` consecutive Chinese characters of some message (3 use the trigram index;
    //! 2, a common word length in Chinese, fall back to a LIKE scan).
    QString cjkQuery(int characters);

private:
    int zipf(const std::vector<double> &cumulative);
    QString latinMessage();
    QString cjkMessage();

    std::mt19937_64 m_random;
    QStringList m_words;
    std::vector<double> m_wordWeights;
    QStringList m_cjkWords;
    std::vector<double> m_cjkWeights;
};

} // namespace ClientBench
