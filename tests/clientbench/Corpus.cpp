#include "Corpus.h"

#include <algorithm>
#include <iterator>

namespace ClientBench {

namespace {

const char *const CommonWords[] = {
    "the",     "be",      "to",       "of",         "and",      "a",       "in",      "that",
    "have",    "it",      "for",      "not",        "on",       "with",    "he",      "as",
    "you",     "do",      "at",       "this",       "but",      "his",     "by",      "from",
    "they",    "we",      "say",      "her",        "she",      "or",      "an",      "will",
    "my",      "one",     "all",      "would",      "there",    "their",   "what",    "so",
    "up",      "out",     "if",       "about",      "who",      "get",     "which",   "go",
    "me",      "when",    "make",     "can",        "like",     "time",    "no",      "just",
    "him",     "know",    "take",     "people",     "into",     "year",    "your",    "good",
    "some",    "could",   "them",     "see",        "other",    "than",    "then",    "now",
    "look",    "only",    "come",     "its",        "over",     "think",   "also",    "back",
    "after",   "use",     "two",      "how",        "our",      "work",    "first",   "well",
    "way",     "even",    "new",      "want",       "because",  "any",     "these",   "give",
    "day",     "most",    "us",       "meeting",    "tomorrow", "tonight", "dinner",  "coffee",
    "project", "release", "deadline", "weekend",    "birthday", "photos",  "holiday", "train",
    "station", "airport", "hotel",    "booking",    "invoice",  "payment", "review",  "changes",
    "branch",  "server",  "database", "kitchen",    "garden",   "doctor",  "school",  "football",
    "concert", "tickets", "movie",    "restaurant", "thanks",   "sorry",   "great",   "awesome",
    "maybe",   "later",   "morning",  "evening",    "call",     "message", "address", "password",
    "laptop",  "phone",   "battery",
};

// Common Chinese characters; words are pairs and triples of them.
const char16_t CjkCharacters[] =
    u"的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
    u"对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面"
    u"公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部"
    u"正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关"
    u"并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安"
    u"表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共";

} // namespace

Corpus::Corpus(quint64 seed)
    : m_random(seed)
{
    for (const char *word : CommonWords)
        m_words.append(QString::fromLatin1(word));
    // The long tail: made-up words of two to four syllables, each rare.
    static const char *const syllables[] = {
        "ka",  "lo",  "mer", "tin", "ra",  "ven", "so", "pel", "dri", "mon",  "quar", "zu",
        "bel", "tor", "nis", "ga",  "sha", "fen", "lu", "wic", "ter", "bran", "os",   "ly"};
    std::mt19937_64 words(seed ^ 0x5eedu);
    while (m_words.size() < 5000) {
        QString word;
        const int count = 2 + int(words() % 3);
        for (int i = 0; i < count; ++i)
            word += QLatin1String(syllables[words() % std::size(syllables)]);
        if (!m_words.contains(word))
            m_words.append(word);
    }
    const QString characters = QString::fromUtf16(CjkCharacters);
    while (m_cjkWords.size() < 1500) {
        const int length = (words() % 4 == 0) ? 1 : 2;
        QString word;
        for (int i = 0; i < length; ++i)
            word += characters.at(int(words() % characters.size()));
        m_cjkWords.append(word);
    }
    const auto weights = [](qsizetype size) {
        std::vector<double> cumulative;
        double sum = 0;
        for (qsizetype rank = 0; rank < size; ++rank) {
            sum += 1.0 / double(rank + 1);
            cumulative.push_back(sum);
        }
        return cumulative;
    };
    m_wordWeights = weights(m_words.size());
    m_cjkWeights = weights(m_cjkWords.size());
}

int Corpus::zipf(const std::vector<double> &cumulative)
{
    std::uniform_real_distribution<double> pick(0, cumulative.back());
    return int(std::lower_bound(cumulative.begin(), cumulative.end(), pick(m_random))
               - cumulative.begin());
}

QString Corpus::message()
{
    return m_random() % 10 == 0 ? cjkMessage() : latinMessage();
}

QString Corpus::latinMessage()
{
    const int count = 3 + int(m_random() % 15);
    QString text;
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            text += QLatin1Char(' ');
        text += m_words.at(zipf(m_wordWeights));
    }
    text[0] = text[0].toUpper();
    return text + (m_random() % 4 == 0 ? QStringLiteral("?") : QStringLiteral("."));
}

QString Corpus::cjkMessage()
{
    const int count = 3 + int(m_random() % 12);
    QString text;
    for (int i = 0; i < count; ++i) {
        text += m_cjkWords.at(zipf(m_cjkWeights));
        if (i + 1 < count && m_random() % 6 == 0)
            text += QChar(0xff0c); // ，
    }
    return text + QChar(0x3002); // 。
}

QString Corpus::latinQuery()
{
    for (;;) {
        const QStringList words = latinMessage().toLower().split(QLatin1Char(' '));
        QString word = words.at(int(m_random() % words.size()));
        word.remove(QLatin1Char('.')).remove(QLatin1Char('?'));
        if (word.size() < 3)
            continue;
        const int length = std::min(int(word.size()), 3 + int(m_random() % 4));
        const int from = int(m_random() % (word.size() - length + 1));
        return word.mid(from, length);
    }
}

QString Corpus::cjkQuery(int characters)
{
    for (;;) {
        QString text = cjkMessage();
        text.remove(QChar(0xff0c)).remove(QChar(0x3002));
        if (text.size() < characters)
            continue;
        const int from = int(m_random() % (text.size() - characters + 1));
        return text.mid(from, characters);
    }
}

} // namespace ClientBench
