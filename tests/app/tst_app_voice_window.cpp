// Voice notes in the app's real window (issue 13): a voice note from Bob shows as a bubble with
// its waveform and plays from its ▶; the composer's 🎤 (shown while the box is empty) opens the
// recording bar, whose 🗑 drops the note. Runs inside scripts/audio-env (a virtual microphone).
// Screenshots: voice-note-window.png, voice-recording-window.png (MainWindowFixture::screenshot).
#include "ClientTestSupport.h"
#include "E2eSupport.h"
#include "MainWindowFixture.h"
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
    }

private:
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
