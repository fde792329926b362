// End to end, rich messages (issue 12): formatting typed with a shortcut, a reply from the
// bubble's hover toolbar, reactions from the quick bar and from a peer, an edit by Up in the
// empty composer, delete for everyone through the menu and its dialog, forwarding to another
// chat, a mention picked from the autocomplete, the @ badge, and the disappearing-messages timer.
// Screenshots e2e-20-… to e2e-34-… in the artifacts folder.
#include "tst_app_e2e.h"

#include "E2eSupport.h"

#include "AppearanceSettings.h"
#include "store/LocalStore.h"
#include "sync/Outbox.h"
#include "text/RichText.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

using namespace Client;
using namespace E2e;
namespace Body = Protocol::Body;

using namespace Qt::StringLiterals;

namespace {

//! The stored message of `account` in `conversationId` whose text is `text` (edits applied).
std::optional<StoredMessage> storedWithText(Account *account, qint64 conversationId,
                                            const QString &text)
{
    for (const StoredMessage &message :
         awaited(account->store()->storedMessages(conversationId, 0, 50))) {
        const Protocol::MessageRecord &record = message.record;
        QString shown;
        if (record.contentType == Body::ContentType)
            shown = Body::decode(record.content).body.text;
        else
            shown = QString::fromUtf8(record.content);
        if (shown == text)
            return message;
    }
    return std::nullopt;
}

//! The message delegate showing `text`, or null.
QQuickItem *messageShowing(QQuickWindow *window, const QString &text)
{
    return delegateOf(bubbleWithText(window, text));
}

//! The popup around `item` has finished fading in.
bool popupShown(QQuickItem *item)
{
    while (item && !QByteArray(item->metaObject()->className()).contains("PopupItem"))
        item = item->parentItem();
    return item && qFuzzyCompare(item->opacity(), 1.0);
}

QString composerText(QQuickWindow *window)
{
    QQuickItem *input = named(window, u"composerInput"_s);
    return input ? input->property("text").toString() : QString();
}

} // namespace

void TestAppEndToEnd::formattingReplyReactEditDeleteAndForward()
{
    const QString question = u"Can you review the release notes?"_s;
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(question, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    const qint64 alice = m_window->account()->store()->selfId();
    // Carol too has a chat with Alice: somewhere to forward to.
    m_carol = m_fixture->account(m_server->url(), u"carol"_s);
    QVERIFY(registerOnline(m_carol.get(), u"Carol Danvers"_s));
    m_carol->openDirect(alice);
    QTRY_VERIFY_WITH_TIMEOUT(!m_carol->store()->conversationIds().isEmpty(), Timeout);
    const qint64 carolChat = m_carol->store()->conversationIds().constFirst();
    QTRY_VERIFY_WITH_TIMEOUT(chatRow(window, carolChat), Timeout);

    click(window, chatRow(window, direct));
    QTRY_VERIFY(bubbleWithText(window, question));

    // 1. Formatting: the last word selected (Shift+Left) and Ctrl+B; markers typed for the rest.
    typeInto(window, named(window, u"composerInput"_s), u"Ship it today"_s);
    for (int i = 0; i < 5; ++i)
        QTest::keyClick(window, Qt::Key_Left, Qt::ShiftModifier);
    QTest::keyClick(window, Qt::Key_B, Qt::ControlModifier);
    QCOMPARE(composerText(window), u"Ship it *today*"_s);
    QTest::keyClick(window, Qt::Key_End);
    typeInto(window, named(window, u"composerInput"_s), u" or ~never~, see `v2.0` ||spoiler||"_s);
    QTest::keyClick(window, Qt::Key_Return);
    const QString formatted = u"Ship it today or never, see v2.0 spoiler"_s;
    QTRY_VERIFY(bubbleWithText(window, formatted));
    QTRY_VERIFY(bubbleWithText(window, formatted)
                    ->property("richText")
                    .toString()
                    .contains(u"<b>today</b>"_s));
    // Bob gets the ranges, never the markers.
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_bob.get(), direct, formatted), Timeout);
    QCOMPARE(Body::decode(storedWithText(m_bob.get(), direct, formatted)->record.content)
                 .body.styles.size(),
             4);
    QVERIFY(m_window->screenshot(u"e2e-20-formatting"_s));

    // The spoiler (its last word, "▒▒▒▒▒▒▒" until clicked) shows its text on a click.
    QVERIFY(
        bubbleWithText(window, formatted)->property("richText").toString().contains(u"spoiler:"_s));
    QQuickItem *text = namedIn(bubbleWithText(window, formatted), u"bubbleText"_s);
    QVERIFY(text);
    const QPoint spoiler =
        text->mapToScene(QPointF(text->property("implicitWidth").toReal() - 6, text->height() / 2))
            .toPoint();
    QTest::mouseMove(window, spoiler);
    QTest::mouseClick(window, Qt::LeftButton, {}, spoiler);
    QTRY_VERIFY_WITH_TIMEOUT(
        !bubbleWithText(window, formatted)->property("richText").toString().contains(u"spoiler:"_s),
        Timeout);
    QVERIFY(
        bubbleWithText(window, formatted)->property("richText").toString().contains(u"spoiler"_s));
    QVERIFY(m_window->screenshot(u"e2e-20b-spoiler-shown"_s));

    // 2. Reply to Bob's question from its hover toolbar; the quote goes above the composer.
    hover(window, namedIn(messageShowing(window, question), u"bubble"_s));
    QTRY_VERIFY(namedIn(messageShowing(window, question), u"replyButton"_s));
    click(window, namedIn(messageShowing(window, question), u"replyButton"_s));
    QTRY_VERIFY(named(window, u"composerReplyQuote"_s));
    typeInto(window, named(window, u"composerInput"_s), u"Done, looks good"_s);
    QVERIFY(m_window->screenshot(u"e2e-21-reply-composing"_s));
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_VERIFY(bubbleWithText(window, u"Done, looks good"_s));
    QTRY_VERIFY(!named(window, u"composerReplyQuote"_s));
    const auto quoteText = [window] {
        QQuickItem *quote = namedIn(messageShowing(window, u"Done, looks good"_s), u"replyQuote"_s);
        QQuickItem *excerpt = quote ? namedIn(quote, u"quoteExcerpt"_s) : nullptr;
        return excerpt ? excerpt->property("text").toString() : QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(quoteText(), question, Timeout);
    const qint64 questionSeq = messageShowing(window, question)->property("seq").toLongLong();
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_bob.get(), direct, u"Done, looks good"_s), Timeout);
    QCOMPARE(storedWithText(m_bob.get(), direct, u"Done, looks good"_s)->replySeq, questionSeq);
    QVERIFY(m_window->screenshot(u"e2e-22-reply"_s));

    // 3. React 👍 to the question from the quick bar; Bob reacts ❤️ to the reply.
    hover(window, namedIn(messageShowing(window, question), u"bubble"_s));
    QTRY_VERIFY(namedIn(messageShowing(window, question), u"reactButton"_s));
    click(window, namedIn(messageShowing(window, question), u"reactButton"_s));
    QTRY_VERIFY(named(window, u"quickReaction_👍"_s));
    QTRY_VERIFY(popupShown(named(window, u"quickReaction_👍"_s)));
    QVERIFY(m_window->screenshot(u"e2e-23-quick-reactions"_s));
    click(window, named(window, u"quickReaction_👍"_s));
    QTRY_VERIFY_WITH_TIMEOUT(namedIn(messageShowing(window, question), u"reactionChip_👍"_s),
                             Timeout);
    QVERIFY(
        namedIn(messageShowing(window, question), u"reactionChip_👍"_s)->property("mine").toBool());
    const qint64 replySeq =
        messageShowing(window, u"Done, looks good"_s)->property("seq").toLongLong();
    m_bob->outbox()->sendBody(direct, Body::reaction(replySeq, u"❤️"_s), true, replySeq);
    QTRY_VERIFY_WITH_TIMEOUT(
        namedIn(messageShowing(window, u"Done, looks good"_s), u"reactionChip_❤️"_s), Timeout);
    QVERIFY(!namedIn(messageShowing(window, u"Done, looks good"_s), u"reactionChip_❤️"_s)
                 ->property("mine")
                 .toBool());
    hover(window, namedIn(messageShowing(window, u"Done, looks good"_s), u"reactionChip_❤️"_s));
    QTRY_VERIFY(namedIn(messageShowing(window, u"Done, looks good"_s), u"reactionChip_❤️"_s)
                    ->findChild<QObject *>(u"reactionNames"_s)
                    ->property("visible")
                    .toBool());
    QVERIFY(m_window->screenshot(u"e2e-24-reactions"_s));
    QTest::mouseMove(window, QPoint(window->width() - 10, window->height() / 2)); // away

    // 4. Edit: Up in the empty composer takes the last own message; Enter saves.
    named(window, u"composerInput"_s)->forceActiveFocus();
    QTest::keyClick(window, Qt::Key_Up);
    QTRY_COMPARE(composerText(window), u"Done, looks good"_s);
    QVERIFY(named(window, u"editingLabel"_s));
    QTest::keyClick(window, Qt::Key_A, Qt::ControlModifier);
    typeInto(window, named(window, u"composerInput"_s), u"Done, looks great"_s);
    QVERIFY(m_window->screenshot(u"e2e-25-editing"_s));
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"Done, looks great"_s), Timeout);
    QVERIFY(namedIn(messageShowing(window, u"Done, looks great"_s), u"editedLabel"_s));
    QTRY_COMPARE(composerText(window), QString());
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_bob.get(), direct, u"Done, looks great"_s), Timeout);
    QVERIFY(storedWithText(m_bob.get(), direct, u"Done, looks great"_s)->editedAt > 0);
    QVERIFY(m_window->screenshot(u"e2e-26-edited"_s));

    // "edited" shows the history; the reply's quote jumps to the original, which flashes.
    click(window, namedIn(messageShowing(window, u"Done, looks great"_s), u"editedLabel"_s));
    QObject *history = m_window->find(u"editHistoryDialog"_s);
    QTRY_VERIFY(history->property("opened").toBool());
    QTRY_VERIFY(history->property("versions").toList().size() >= 2);
    QCOMPARE(
        history->property("versions").toList().constFirst().toMap().value(u"text"_s).toString(),
        u"Done, looks good"_s);
    QVERIFY(m_window->screenshot(u"e2e-26b-edit-history"_s));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!history->property("visible").toBool());
    click(window, namedIn(messageShowing(window, u"Done, looks great"_s), u"replyQuote"_s));
    QTRY_VERIFY(messageShowing(window, question)->property("flash").toBool());

    // Copy text, from the menu.
    QGuiApplication::clipboard()->clear();
    click(window, namedIn(messageShowing(window, question), u"bubble"_s), Qt::RightButton);
    QTRY_VERIFY(m_window->find(u"messageMenu"_s)->property("opened").toBool());
    QVERIFY(!named(window, u"editAction"_s)); // not one's own
    click(window, named(window, u"copyAction"_s));
    QTRY_COMPARE(QGuiApplication::clipboard()->text(), question);
    QTRY_VERIFY(!m_window->find(u"messageMenu"_s)->property("visible").toBool());

    // 5. Delete for everyone: right-click, the menu, the dialog.
    click(window, namedIn(messageShowing(window, formatted), u"bubble"_s), Qt::RightButton);
    QTRY_VERIFY(m_window->find(u"messageMenu"_s)->property("opened").toBool());
    QVERIFY(named(window, u"editAction"_s));
    QVERIFY(m_window->screenshot(u"e2e-27-message-menu"_s));
    click(window, named(window, u"deleteForEveryoneAction"_s));
    QTRY_VERIFY(m_window->find(u"deleteMessageDialog"_s)->property("opened").toBool());
    QVERIFY(m_window->screenshot(u"e2e-28-delete-dialog"_s));
    click(window, named(window, u"deleteForEveryoneButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"deletedLabel"_s), Timeout);
    QTRY_VERIFY(!bubbleWithText(window, formatted));
    QTRY_VERIFY_WITH_TIMEOUT(!storedWithText(m_bob.get(), direct, formatted), Timeout);
    QTRY_VERIFY(!m_window->find(u"deleteMessageDialog"_s)->property("visible").toBool());
    QVERIFY(m_window->screenshot(u"e2e-29-deleted"_s));

    // 6. Forward two messages to Carol: Select in the menu, a click picks the second.
    const QString answer = u"Done, looks great"_s;
    click(window, namedIn(messageShowing(window, question), u"bubble"_s), Qt::RightButton);
    QTRY_VERIFY(m_window->find(u"messageMenu"_s)->property("opened").toBool());
    click(window, named(window, u"selectAction"_s));
    QTRY_VERIFY(named(window, u"selectionBar"_s));
    QTRY_VERIFY(!m_window->find(u"messageMenu"_s)->property("visible").toBool());
    click(window, namedIn(messageShowing(window, answer), u"selectArea"_s));
    QTRY_COMPARE(named(window, u"selectionCount"_s)->property("text").toString(), u"2 selected"_s);
    QVERIFY(m_window->screenshot(u"e2e-30a-selected"_s));
    click(window, named(window, u"forwardSelected"_s));
    QTRY_VERIFY(m_window->find(u"forwardDialog"_s)->property("opened").toBool());
    typeInto(window, named(window, u"forwardSearch"_s), u"car"_s);
    // The search filters the list: Bob's row goes and Carol's moves up. Click once it has.
    QTRY_COMPARE(named(window, u"forwardList"_s)->property("count").toInt(), 1);
    QTRY_VERIFY(named(window, u"forwardTo_Carol Danvers"_s)
                && qFuzzyIsNull(named(window, u"forwardTo_Carol Danvers"_s)->y()));
    click(window, named(window, u"forwardTo_Carol Danvers"_s));
    QTRY_VERIFY(named(window, u"forwardButton"_s)->isEnabled());
    QTRY_VERIFY(named(window, u"forwardTo_Carol Danvers"_s)->property("checked").toBool());
    // The box's check mark animates in: the picture waits for it.
    QQuickItem *box = qvariant_cast<QQuickItem *>(
        named(window, u"forwardTo_Carol Danvers"_s)->property("indicator"));
    QTRY_VERIFY(box && box->state() == u"checked"_s && qFuzzyCompare(box->scale(), 1.0)
                && !box->childItems().isEmpty()
                && qFuzzyCompare(box->childItems().constFirst()->scale(), 1.0));
    QVERIFY(m_window->screenshot(u"e2e-30-forward"_s));
    click(window, named(window, u"forwardButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_carol.get(), carolChat, question), Timeout);
    QVERIFY(storedWithText(m_carol.get(), carolChat, question)->forwarded);
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_carol.get(), carolChat, answer), Timeout);
    QVERIFY(storedWithText(m_carol.get(), carolChat, answer)->forwarded);
    QTRY_VERIFY(!named(window, u"selectionBar"_s)); // forwarded: the selection is over

    // The same chat in the dark theme: quotes, chips and marks keep their contrast.
    QTRY_VERIFY(!m_window->find(u"forwardDialog"_s)->property("visible").toBool());
    m_window->app()->appearance()->setTheme(u"dark"_s);
    QVERIFY(m_window->screenshot(u"e2e-36-rich-dark"_s));
}

void TestAppEndToEnd::mentionsWithAutocompleteAndTheTimer()
{
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"Group coming up"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    const qint64 alice = m_window->account()->store()->selfId();
    m_carol = m_fixture->account(m_server->url(), u"carol"_s);
    QVERIFY(registerOnline(m_carol.get(), u"Carol Danvers"_s));
    m_bob->createGroup(u"Launch"_s, {alice, m_carol->store()->selfId()});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->account()->store()->conversationIds().size() == 2, Timeout);
    qint64 group = 0;
    for (qint64 id : m_window->account()->store()->conversationIds())
        group = id != direct ? id : group;
    QTRY_VERIFY_WITH_TIMEOUT(m_carol->store()->conversationIds().contains(group), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(chatRow(window, group), Timeout);
    click(window, chatRow(window, group));
    QTRY_COMPARE(named(window, u"headerName"_s)->property("text").toString(), u"Launch"_s);
    // The members are in (the autocomplete offers them).
    QTRY_VERIFY_WITH_TIMEOUT(m_window->account()->store()->members(group).size() == 3, Timeout);

    // 1. "@Ca": the popup offers Carol; Enter takes her.
    typeInto(window, named(window, u"composerInput"_s), u"@Ca"_s);
    QTRY_VERIFY(named(window, u"mention_carol"_s));
    QTRY_VERIFY(popupShown(named(window, u"mention_carol"_s)));
    QVERIFY(m_window->screenshot(u"e2e-31-mention-popup"_s));
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(composerText(window), u"@Carol Danvers "_s);
    typeInto(window, named(window, u"composerInput"_s), u"can you check the build?"_s);
    QTest::keyClick(window, Qt::Key_Return);
    const QString mention = u"@Carol Danvers can you check the build?"_s;
    QTRY_VERIFY(bubbleWithText(window, mention));
    QTRY_VERIFY_WITH_TIMEOUT(storedWithText(m_carol.get(), group, mention), Timeout);
    QVERIFY(storedWithText(m_carol.get(), group, mention)->mentionsMe);
    QVERIFY(m_window->screenshot(u"e2e-32-mention-sent"_s));

    // 2. Bob mentions Alice while she reads the direct chat: the group's row gets the @ badge.
    click(window, chatRow(window, direct));
    QTRY_VERIFY(bubbleWithText(window, u"Group coming up"_s));
    Body::MessageBody body = Body::text(u"@Alice the launch is at 5"_s);
    body.mentions.append(Body::Mention {alice, {0, 6}});
    m_bob->outbox()->sendBody(group, body);
    QTRY_VERIFY_WITH_TIMEOUT(namedIn(chatRow(window, group), u"mentionBadge"_s), Timeout);
    QVERIFY(m_window->screenshot(u"e2e-33-mention-badge"_s));

    // 3. Disappearing messages in the direct chat: the menu, 1 hour; the header shows it.
    click(window, named(window, u"conversationMenuButton"_s));
    QObject *menu = m_window->find(u"conversationMenu"_s);
    QTRY_VERIFY(menu->property("opened").toBool());
    QObject *timerMenu = m_window->find(u"disappearingMenu"_s);
    QVERIFY(timerMenu);
    QQuickItem *timerItem = findInWindow(window, [&](QQuickItem *item) {
        return item->isVisible() && item->property("subMenu").value<QObject *>() == timerMenu;
    });
    QVERIFY(timerItem);
    QVERIFY(timerItem->isEnabled());
    click(window, timerItem);
    QTRY_VERIFY(timerMenu->property("opened").toBool());
    QTRY_VERIFY(popupShown(named(window, u"timer_3600"_s)));
    QVERIFY(m_window->screenshot(u"e2e-34-disappearing-menu"_s));
    click(window, named(window, u"timer_3600"_s));
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"timerMark"_s), Timeout);
    QCOMPARE(named(window, u"timerMark"_s)->property("text").toString(), u"\u23F1 1 hour"_s);
    QTRY_VERIFY(!menu->property("visible").toBool());
    m_bob->sendMessage(direct, u"This one disappears in an hour"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"This one disappears in an hour"_s), Timeout);
    QTRY_VERIFY(
        namedIn(messageShowing(window, u"This one disappears in an hour"_s), u"expiryMark"_s));
    QVERIFY(m_window->screenshot(u"e2e-35-disappearing"_s));
}
