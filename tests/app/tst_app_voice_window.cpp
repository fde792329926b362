// Voice notes in the app's real window (issue 13): a voice note from Bob shows as a bubble with
// its waveform and plays from its ▶; the composer's 🎤 (shown while the box is empty) opens the
// recording bar on a click, whose 🗑 drops the note; held down it records, dragged away while
// held letting go drops it, and letting go near 🎤 sends (Dave's own bubble shows the recorded
// waveform from the start, while it uploads); Bob plays it. Runs inside scripts/audio-env (a
// virtual microphone). Screenshots: voice-note-window.png, voice-recording-window.png,
// voice-hold-cancel-window.png, voice-hold-window.png, voice-sent-window.png
// (MainWindowFixture::screenshot).
#include "ClientTestSupport.h"
#include "E2eSupport.h"
#include "MainWindowFixture.h"
#include "MediaPlayback.h"
#include "TestServer.h"
#include "VoiceNotes.h"

#include "account/Account.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Client;
using namespace E2e;

class TestAppVoiceWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void voiceNoteInTheWindow()
    {
        TestServer server;
        QVERIFY2(server.setUp(), qPrintable(server.errorString()));
        ClientFixture fixture;
        MainWindowFixture ui;
        QVERIFY(ui.signUp(server.url(), u"dave"_s, u"Dave"_s));
        QQuickWindow *window = ui.window();
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));

        std::unique_ptr<Account> bob = fixture.account(server.url(), u"bob"_s);
        QVERIFY(registerOnline(bob.get(), u"Bob"_s));
        bob->openDirect(ui.account()->store()->selfId());
        QTRY_COMPARE_WITH_TIMEOUT(bob->store()->conversationIds().size(), 1, Timeout);
        const qint64 conversation = bob->store()->conversationIds().constFirst();

        // Bob records two seconds of the tone and sends them.
        MessageListModel *bobModel = bob->createMessageModel(conversation, this);
        QTRY_VERIFY(bobModel->isLoaded());
        App::VoiceNotes voice;
        voice.setAccount(bob.get());
        voice.setMessages(bobModel);
        QSignalSpy sent(&voice, &App::VoiceNotes::sent);
        voice.start();
        QTRY_VERIFY_WITH_TIMEOUT(voice.elapsedMs() >= 2000, Timeout);
        voice.send();
        QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, Timeout);
        QVERIFY(outboxDrained(bob.get()));

        // Dave opens the chat: the voice note's bubble, downloaded by itself.
        QTRY_VERIFY_WITH_TIMEOUT(named(window, u"conversationList"_s), Timeout);
        QQuickItem *list = named(window, u"conversationList"_s);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 1, Timeout);
        QQuickItem *row = nullptr;
        QTRY_VERIFY(QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, row),
                                              Q_ARG(int, 0))
                    && row);
        click(window, row);
        QTRY_VERIFY_WITH_TIMEOUT(named(window, u"voiceNote"_s), Timeout);
        QQuickItem *play = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((play = named(window, u"voicePlayButton"_s)) && play->isEnabled(),
                                 Timeout);
        QQuickItem *wave = named(window, u"waveform"_s);
        QVERIFY(wave);
        QVERIFY(wave->property("barCount").toInt() > 10);
        QVERIFY(ui.screenshot(u"voice-note-window"_s));

        // ▶ plays it (from the decrypting device) to its end.
        QObject *playback = ui.find(u"mediaPlayback"_s);
        QVERIFY(playback);
        QSignalSpy ended(playback, SIGNAL(ended(QString)));
        click(window, play);
        QTRY_VERIFY_WITH_TIMEOUT(playback->property("playing").toBool(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, Timeout);

        // 🎤 in the empty composer: the recording bar, then 🗑 drops the note.
        QQuickItem *mic = named(window, u"voiceButton"_s);
        QVERIFY(mic);
        QVERIFY(!named(window, u"sendButton"_s));
        click(window, mic);
        QTRY_VERIFY_WITH_TIMEOUT(named(window, u"voiceCancelButton"_s), Timeout);
        QObject *notes = ui.find(u"voiceNotes"_s);
        QTRY_VERIFY_WITH_TIMEOUT(notes->property("elapsedMs").toLongLong() >= 1500, Timeout);
        QTRY_VERIFY(notes->property("level").toReal() > 0.05);
        QVERIFY(ui.screenshot(u"voice-recording-window"_s));
        click(window, named(window, u"voiceCancelButton"_s));
        QTRY_VERIFY(!notes->property("recording").toBool());
        QTRY_VERIFY(named(window, u"voiceButton"_s));

        // 🎤 held: it records with "Release to send" (no Send button, the composer stays under
        // the pointer); letting go sends. Dave's own note carries its waveform from the moment it
        // is listed, still uploading (its blob id unknown).
        auto *daveModel = qobject_cast<MessageListModel *>(
            ui.find(u"mediaController"_s)->property("messages").value<QAbstractItemModel *>());
        QVERIFY(daveModel);
        QList<QVariantMap> listed; // Dave's voice notes as first listed
        connect(daveModel, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &, int first, int last) {
                    for (int inserted = first; inserted <= last; ++inserted) {
                        const QVariantList entries = daveModel
                                                         ->data(daveModel->index(inserted, 0),
                                                                MessageListModel::AttachmentsRole)
                                                         .toList();
                        for (const QVariant &entry : entries) {
                            if (entry.toMap().value(u"kind"_s) == u"voice"_s)
                                listed.append(entry.toMap());
                        }
                    }
                });
        QSignalSpy daveSent(notes, SIGNAL(sent(QString)));
        const QString toSend = u"Release to send · drag away to cancel"_s;
        const QString toCancel = u"Release to cancel"_s;
        const auto hint = [window] {
            QQuickItem *label = named(window, u"holdHint"_s);
            return label ? label->property("text").toString() : QString();
        };

        // 🎤 held, then dragged away (Telegram's slide to cancel): past the distance the bar
        // says "Release to cancel" and 🎤 turns into 🗑; letting go there drops the note.
        // The composer is back (the recording bar had taken its place): 🎤 where its row puts it.
        mic = named(window, u"voiceButton"_s);
        QRectF micSeen;
        QTRY_VERIFY(settled(mic, micSeen));
        const QPoint micAt =
            mic->mapToScene(QPointF(mic->width() / 2, mic->height() / 2)).toPoint();
        const int rowsBefore = daveModel->rowCount();
        QTest::mouseMove(window, micAt);
        QTest::mousePress(window, Qt::LeftButton, {}, micAt);
        QTRY_VERIFY_WITH_TIMEOUT(notes->property("recording").toBool(), Timeout);
        QCOMPARE(hint(), toSend);
        QTRY_VERIFY_WITH_TIMEOUT(notes->property("elapsedMs").toLongLong() >= 1000, Timeout);
        const QPoint away = micAt - QPoint(150, 60);
        QTest::mouseMove(window, micAt - QPoint(40, 15));
        QTest::mouseMove(window, away);
        QTRY_COMPARE(hint(), toCancel);
        QCOMPARE(mic->property("text").toString(), u"\U0001F5D1"_s);
        QVERIFY(notes->property("recording").toBool());
        QVERIFY(ui.screenshot(u"voice-hold-cancel-window"_s));
        QTest::mouseRelease(window, Qt::LeftButton, {}, away);
        QTRY_VERIFY(!notes->property("recording").toBool());
        QCOMPARE(daveSent.size(), 0);
        QCOMPARE(daveModel->rowCount(), rowsBefore);
        QVERIFY(listed.isEmpty());
        QTRY_VERIFY(!named(window, u"voiceRecorderBar"_s));
        QCOMPARE(named(window, u"voiceButton"_s), mic);
        QCOMPARE(mic->property("text").toString(), u"\U0001F3A4"_s);

        // Held again: a small move keeps "Release to send"; out past the distance and back
        // again, the release sends after all.
        QTest::mouseMove(window, micAt);
        QTest::mousePress(window, Qt::LeftButton, {}, micAt);
        QTRY_VERIFY_WITH_TIMEOUT(notes->property("recording").toBool(), Timeout);
        QVERIFY(named(window, u"holdHint"_s));
        QVERIFY(!named(window, u"voiceSendButton"_s));
        QCOMPARE(named(window, u"voiceButton"_s), mic);
        QTRY_VERIFY_WITH_TIMEOUT(notes->property("elapsedMs").toLongLong() >= 1500, Timeout);
        const QPoint nearby = micAt - QPoint(12, 6);
        QTest::mouseMove(window, nearby);
        QCOMPARE(hint(), toSend);
        QVERIFY(ui.screenshot(u"voice-hold-window"_s));
        QTest::mouseMove(window, micAt - QPoint(0, 120));
        QTRY_COMPARE(hint(), toCancel);
        QTest::mouseMove(window, nearby);
        QTRY_COMPARE(hint(), toSend);
        QTest::mouseRelease(window, Qt::LeftButton, {}, nearby);
        QTRY_COMPARE_WITH_TIMEOUT(daveSent.size(), 1, Timeout);
        QVERIFY(!notes->property("recording").toBool());
        QTRY_COMPARE_WITH_TIMEOUT(listed.size(), 1, Timeout);
        QVERIFY(listed.at(0).value(u"pending"_s).toBool());
        QVERIFY(listed.at(0).value(u"blobId"_s).toString().isEmpty());
        QVERIFY(listed.at(0).value(u"waveform"_s).toList().size() > 10);
        // On screen, the bubble draws those peaks (50 bars, not a flat track).
        QVERIFY(outboxDrained(ui.account()));
        const auto drawnWaveforms = [&] {
            int count = 0;
            findInWindow(window, [&](QQuickItem *item) {
                if (item->objectName() == u"waveform"_s && item->isVisible()
                    && item->property("barCount").toInt() == 50)
                    ++count;
                return false;
            });
            return count;
        };
        QTRY_COMPARE_WITH_TIMEOUT(drawnWaveforms(), 2, Timeout); // Bob's and Dave's
        QVERIFY(ui.screenshot(u"voice-sent-window"_s));

        // Bob has it (about as long as it was held) and plays it to its end. It is Dave's only
        // note: the dropped one would have been queued, and so have arrived, before it.
        MessageListModel *bobMessages = bob->createMessageModel(conversation, this);
        QStringList fromDave;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(fromDave = voiceNotes(bobMessages, ui.account()->store()->selfId())).isEmpty(),
            Timeout);
        QCOMPARE(fromDave.size(), 1);
        const QString heard = fromDave.constLast();
        const auto note = bobMessages->attachment(heard);
        QVERIFY(note);
        QVERIFY2(note->durationMs >= 1500, qPrintable(QString::number(note->durationMs)));
        QVERIFY(!note->waveform.isEmpty());
        App::MediaPlayback bobPlayback;
        bobPlayback.setAccount(bob.get());
        bobPlayback.setMessages(bobMessages);
        QSignalSpy bobEnded(&bobPlayback, &App::MediaPlayback::ended);
        bobPlayback.play(heard);
        QTRY_VERIFY_WITH_TIMEOUT(bobPlayback.isPlaying(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bobEnded.size(), 1, Timeout);
        QCOMPARE(bobEnded.at(0).at(0).toString(), heard);
        QVERIFY2(bobPlayback.problem().isEmpty(), qPrintable(bobPlayback.problem()));
    }

private:
    //! The blob ids of the voice notes `senderId` sent in `messages`, oldest first.
    static QStringList voiceNotes(const MessageListModel *messages, qint64 senderId)
    {
        QStringList found;
        for (int row = 0; row < messages->rowCount(); ++row) {
            const QModelIndex index = messages->index(row, 0);
            if (messages->data(index, MessageListModel::SenderIdRole).toLongLong() != senderId)
                continue;
            const QVariantList entries =
                messages->data(index, MessageListModel::AttachmentsRole).toList();
            for (const QVariant &entry : entries) {
                const QVariantMap map = entry.toMap();
                if (map.value(u"kind"_s) == u"voice"_s
                    && !map.value(u"blobId"_s).toString().isEmpty())
                    found.append(map.value(u"blobId"_s).toString());
            }
        }
        return found;
    }

    static void click(QQuickWindow *window, QQuickItem *item)
    {
        QVERIFY(item);
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    }
};

QTEST_MAIN(TestAppVoiceWindow)
#include "tst_app_voice_window.moc"
