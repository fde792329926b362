// End to end, sound and video (issue 13), inside scripts/audio-env (a virtual microphone playing a
// tone, a null sink): ctest runs this one case as tst_app_e2e_playback_sqlite; without audio-env it
// is skipped. Alice holds 🎤 and lets go: the voice note goes, and Bob (the client core with the
// app's MediaPlayback) hears it to its end. Bob sends a short WebM (VP8 + Vorbis, made with
// gst-launch-1.0: tests/app/data/README.md): Alice sees its poster, nothing plays until she clicks;
// then it plays in the bubble (frames reach the VideoOutput, the position advances), pauses, seeks
// with the slider (staying paused, showing the frame there) and plays on from there. Screenshots
// e2e-50-… to e2e-53-….
#include "tst_app_e2e.h"

#include "E2eSupport.h"
#include "MediaPlayback.h"

#include "media/ImagePrep.h"
#include "media/MediaTransfers.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"

#include <QFile>
#include <QMediaPlayer>
#include <QQuickItem>
#include <QQuickWindow>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QVideoFrame>
#include <QVideoSink>

#include <algorithm>

using namespace Client;
using namespace E2e;
namespace Body = Protocol::Body;

using namespace Qt::StringLiterals;

namespace {

//! The last `kind` attachment with a blob id in `messages`, or "".
QString lastOfKind(const MessageListModel *messages, const QString &kind)
{
    QString found;
    for (int row = 0; row < messages->rowCount(); ++row) {
        const QVariantList entries =
            messages->data(messages->index(row, 0), MessageListModel::AttachmentsRole).toList();
        for (const QVariant &entry : entries) {
            const QVariantMap map = entry.toMap();
            if (map.value(u"kind"_s) == kind && !map.value(u"blobId"_s).toString().isEmpty())
                found = map.value(u"blobId"_s).toString();
        }
    }
    return found;
}

} // namespace

void TestAppEndToEnd::voiceNoteAndVideoPlayInTheWindow()
{
    if (qEnvironmentVariableIsEmpty("MESSENGER_AUDIO_ENV"))
        QSKIP("needs scripts/audio-env (ctest runs this case as tst_app_e2e_playback_sqlite)");
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"Say something"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    QQuickItem *row = chatRow(window, direct);
    click(window, row);
    QTRY_VERIFY(bubbleWithText(window, u"Say something"_s));

    // 1. 🎤 held down records; letting go sends.
    QObject *notes = m_window->find(u"voiceNotes"_s);
    QVERIFY(notes);
    QQuickItem *mic = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((mic = named(window, u"voiceButton"_s)), Timeout);
    // 🎤 shows once the chat is active: its row lays it out at the next polish, until then it
    // sits where it was (the press would miss it).
    QRectF micSeen;
    QTRY_VERIFY(settled(mic, micSeen));
    const QPoint micAt = centreOf(mic);
    QTest::mouseMove(window, micAt);
    QTest::mousePress(window, Qt::LeftButton, {}, micAt);
    QTRY_VERIFY_WITH_TIMEOUT(notes->property("recording").toBool(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(notes->property("elapsedMs").toLongLong() >= 1500, Timeout);
    QVERIFY(named(window, u"holdHint"_s));
    QVERIFY(m_window->screenshot(u"e2e-50-voice-note-held"_s));
    QTest::mouseRelease(window, Qt::LeftButton, {}, micAt);
    QTRY_VERIFY(!notes->property("recording").toBool());
    QVERIFY(outboxDrained(m_window->account()));
    // Her bubble draws the recorded peaks (50 bars), as it did while uploading.
    QQuickItem *wave = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (wave = named(window, u"waveform"_s)) && wave->property("barCount").toInt() == 50, Timeout);

    // Bob sees it and hears it to its end.
    MessageListModel *bobMessages = m_bob->createMessageModel(direct, this);
    QString heard;
    QTRY_VERIFY_WITH_TIMEOUT(!(heard = lastOfKind(bobMessages, u"voice"_s)).isEmpty(), Timeout);
    const auto note = bobMessages->attachment(heard);
    QVERIFY(note);
    QCOMPARE(note->mime, u"audio/ogg"_s);
    QVERIFY2(note->durationMs >= 1500, qPrintable(QString::number(note->durationMs)));
    QVERIFY(!note->waveform.isEmpty());
    {
        App::MediaPlayback bobPlayback;
        bobPlayback.setAccount(m_bob.get());
        bobPlayback.setMessages(bobMessages);
        QSignalSpy ended(&bobPlayback, &App::MediaPlayback::ended);
        bobPlayback.play(heard);
        QTRY_VERIFY_WITH_TIMEOUT(bobPlayback.isPlaying(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, Timeout);
        QVERIFY(bobPlayback.isOggOpus(heard));
        QVERIFY2(bobPlayback.problem().isEmpty(), qPrintable(bobPlayback.problem()));
    }

    // 2. Bob sends a two-second video (160×120): its poster, and nothing plays by itself.
    QFile clip(QStringLiteral(APP_TEST_DATA "/clip.webm"));
    QVERIFY(clip.open(QIODevice::ReadOnly));
    PreparedMedia video =
        ImagePrep::prepareBytesNow(clip.readAll(), u"clip.webm"_s, ImagePrep::Mode::Media);
    QVERIFY(video.ok());
    QCOMPARE(video.meta.kind, Body::AttachmentKind::Video);
    // What the sending app's VideoPoster reads from the file.
    video.meta.width = 160;
    video.meta.height = 120;
    video.meta.durationMs = 2000;
    m_bob->media()->sendAttachments(direct, Body::text(u"From the boat"_s),
                                    {{QString(), video.bytes, video.meta}});
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"From the boat"_s), Timeout);
    QQuickItem *bubble = delegateOf(bubbleWithText(window, u"From the boat"_s));
    QQuickItem *poster = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((poster = namedIn(bubble, u"videoPoster"_s)), Timeout);
    QObject *playback = m_window->find(u"mediaPlayback"_s);
    QVERIFY(playback);
    QVERIFY(!playback->property("playing").toBool());
    QCOMPARE(playback->property("currentBlobId").toString(), QString());
    QVERIFY(namedIn(bubble, u"videoPlayButton"_s));
    QVERIFY(m_window->screenshot(u"e2e-51-video-poster"_s));

    // 3. A click plays it in the bubble: frames arrive, the position advances.
    click(window, poster);
    QTRY_VERIFY_WITH_TIMEOUT(playback->property("playing").toBool(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(playback->property("position").toLongLong() > 300, Timeout);
    QQuickItem *output = namedIn(bubble, u"videoOutput"_s);
    QVERIFY(output);
    QTRY_COMPARE_WITH_TIMEOUT(output->property("sourceRect").toRectF().size(), QSizeF(160, 120),
                              Timeout);
    QVERIFY(m_window->screenshot(u"e2e-52-video-playing"_s));
    click(window, poster); // pauses
    QTRY_VERIFY(!playback->property("playing").toBool());

    // 4. The slider seeks a paused video: it stays paused, the position moves there and the
    // picture is the frame at the new position (GStreamer prerolls it); ▶ plays on from there.
    QQuickItem *seek = namedIn(bubble, u"videoSeek"_s);
    QVERIFY(seek);
    const qint64 duration = playback->property("duration").toLongLong();
    QVERIFY(duration >= 1900);
    const qint64 pausedAt = playback->property("position").toLongLong();
    // Far from where it paused: the track's point for that fraction (inside the slider's padding).
    const qreal fraction = pausedAt < duration / 2 ? 0.7 : 0.1;
    const qreal trackX = seek->property("leftPadding").toReal()
        + fraction * seek->property("availableWidth").toReal();
    const QPoint at = seek->mapToScene(QPointF(trackX, seek->height() / 2)).toPoint();
    const qint64 target = qint64(fraction * seek->property("to").toReal());
    auto *player = qobject_cast<App::MediaPlayback *>(playback);
    QVERIFY(player);
    auto *engine = player->findChild<QMediaPlayer *>();
    QVERIFY(engine);
    QTRY_COMPARE(engine->playbackState(), QMediaPlayer::PausedState);
    QVideoSink *sink = engine->videoSink();
    QVERIFY(sink);
    QList<qint64> positions; // every position reported from the click on
    QList<qint64> frames; // the start (µs) of every frame shown from the click on
    const QMetaObject::Connection watch =
        connect(player, &App::MediaPlayback::positionChanged, this,
                [&positions, player] { positions.append(player->position()); });
    const QMetaObject::Connection watchFrames =
        connect(sink, &QVideoSink::videoFrameChanged, this,
                [&frames](const QVideoFrame &frame) { frames.append(frame.startTime()); });
    const auto unwatch = qScopeGuard([watch, watchFrames] {
        QObject::disconnect(watch);
        QObject::disconnect(watchFrames);
    });
    const auto near = [target](const QList<qint64> &values, qint64 unit) {
        return std::any_of(values.cbegin(), values.cend(),
                           [&](qint64 v) { return qAbs(v - target * unit) <= 100 * unit; });
    };
    QTest::mouseMove(window, at);
    QTest::mouseClick(window, Qt::LeftButton, {}, at);
    QTRY_VERIFY_WITH_TIMEOUT(near(positions, 1), Timeout);
    const auto shown = [&frames] {
        QStringList list;
        for (const qint64 start : std::as_const(frames))
            list.append(QString::number(start / 1000));
        return list.join(u", "_s);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        near(frames, 1000),
        qPrintable(u"wanted the frame at %1 ms, shown: %2"_s.arg(target).arg(shown())), Timeout);
    QCOMPARE(engine->playbackState(), QMediaPlayer::PausedState);
    QVERIFY(!playback->property("playing").toBool());
    QVERIFY(qAbs(playback->property("position").toLongLong() - target) <= 100);
    QVERIFY(namedIn(bubble, u"videoPlayButton"_s)->isVisible());
    QVERIFY(m_window->screenshot(u"e2e-53-video-seeked-paused"_s));

    click(window, poster); // plays on from the new position
    QTRY_VERIFY_WITH_TIMEOUT(playback->property("playing").toBool(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(playback->property("position").toLongLong() > target + 100, Timeout);
    QVERIFY2(playback->property("problem").toString().isEmpty(),
             qPrintable(playback->property("problem").toString()));
}
