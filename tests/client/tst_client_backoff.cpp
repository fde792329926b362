#include "connection/Backoff.h"

#include <QTest>

using namespace Client;

class TestBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void growsToTheCapWithJitter()
    {
        Backoff backoff(Backoff::Settings {1000, 30'000, 2.0});
        backoff.seed(42);
        const int steps[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (int step : steps) {
            const int delay = backoff.nextDelayMs();
            QVERIFY2(delay >= step / 2 && delay <= step, qPrintable(QString::number(delay)));
        }
    }

    void resetStartsOver()
    {
        Backoff backoff(Backoff::Settings {100, 1000, 2.0});
        for (int i = 0; i < 10; ++i)
            backoff.nextDelayMs();
        QCOMPARE(backoff.attempts(), 10);
        backoff.reset();
        QCOMPARE(backoff.attempts(), 0);
        QVERIFY(backoff.nextDelayMs() <= 100);
    }

    void jitterSpreadsClients()
    {
        // Clients cut off together must not all come back at the same millisecond.
        QSet<int> delays;
        for (int i = 0; i < 20; ++i) {
            Backoff backoff(Backoff::Settings {1000, 30'000, 2.0});
            delays.insert(backoff.nextDelayMs());
        }
        QVERIFY(delays.size() > 1);
    }

    void manyAttemptsDoNotOverflow()
    {
        Backoff backoff(Backoff::Settings {1000, 30'000, 2.0});
        for (int i = 0; i < 200; ++i) {
            const int delay = backoff.nextDelayMs();
            QVERIFY(delay > 0 && delay <= 30'000);
        }
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_client_backoff.moc"
