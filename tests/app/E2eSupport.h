#pragma once

// What the end-to-end cases (tst_app_e2e*.cpp) share: finding the window's items by what they
// show, and driving them as a hand does (the pointer moves there, then clicks; keys typed).
#include <QPoint>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRectF>
#include <QString>
#include <QTest>
#include <QtQuickTest/quicktest.h>

#include <functional>

namespace E2e {

using namespace Qt::StringLiterals;

constexpr int Timeout = 15'000;
constexpr int StatusRead = 3; // StatusTicks.Read, MessageListModel::Status::Read

//! The first item under `root` (depth first) for which `match` is true, or null.
inline QQuickItem *findItem(QQuickItem *root, const std::function<bool(QQuickItem *)> &match)
{
    if (!root)
        return nullptr;
    if (match(root))
        return root;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, match))
            return found;
    }
    return nullptr;
}

//! Everywhere in the window, popups (on the overlay, a child of the content item) included.
inline QQuickItem *findInWindow(QQuickWindow *window,
                                const std::function<bool(QQuickItem *)> &match)
{
    return findItem(window->contentItem(), match);
}

inline QQuickItem *named(QQuickWindow *window, const QString &objectName)
{
    return findInWindow(window, [&](QQuickItem *item) {
        return item->objectName() == objectName && item->isVisible();
    });
}

//! The object (an item, a popup, a non-visual helper such as a controller) with this objectName
//! anywhere under `root`, its QObject children and its visual children alike, visible or not.
inline QObject *findObject(QObject *root, const QString &name)
{
    if (!root)
        return nullptr;
    if (root->objectName() == name)
        return root;
    QObjectList children = root->children();
    if (auto *item = qobject_cast<QQuickItem *>(root)) {
        const QList<QQuickItem *> childItems = item->childItems();
        for (QQuickItem *child : childItems)
            children.append(child);
    }
    for (QObject *child : std::as_const(children)) {
        if (QObject *found = findObject(child, name))
            return found;
    }
    return nullptr;
}

//! The same everywhere in the window, popups included.
inline QObject *findObject(QQuickWindow *window, const QString &name)
{
    return findObject(window->contentItem(), name);
}

//! The chat list's row of a conversation.
inline QQuickItem *chatRow(QQuickWindow *window, qint64 conversationId)
{
    return findInWindow(window, [&](QQuickItem *item) {
        return item->isVisible() && item->property("conversationId").toLongLong() == conversationId
            && item->property("unreadCount").isValid();
    });
}

//! A visible message text (MessageText: formatted or plain) whose text as typed is exactly
//! `text`.
inline QQuickItem *bubbleWithText(QQuickWindow *window, const QString &text)
{
    return findInWindow(window, [&](QQuickItem *item) {
        return item->objectName() == u"messageText"_s && item->isVisible()
            && item->property("plainText").toString() == text;
    });
}

//! The message delegate (MessageDelegate) around a bubble: it has the `status` property.
inline QQuickItem *delegateOf(QQuickItem *item)
{
    while (item && !item->property("clientId").isValid())
        item = item->parentItem();
    return item;
}

//! The visible item named `objectName` inside `root`, or null.
inline QQuickItem *namedIn(QQuickItem *root, const QString &objectName)
{
    return findItem(root, [&](QQuickItem *item) {
        return item->objectName() == objectName && item->isVisible();
    });
}

//! True when a click on `item` lands on it: it is visible, neither it nor any item around it
//! waits for its polish (a layout such as RowLayout places a child that just became visible only
//! in the polish before the next frame; until then the child sits where it was, over a
//! neighbour), and it is where it was at the last look (`lastSeen`; QTRY_* looks every 50 ms),
//! as animations and lists move items with no polish pending. Needs Qt6::QuickTest.
inline bool settled(QQuickItem *item, QRectF &lastSeen)
{
    if (!item || !item->isVisible())
        return false;
    for (const QQuickItem *around = item; around; around = around->parentItem()) {
        if (QQuickTest::qIsPolishScheduled(around))
            return false;
    }
    const QRectF at = item->mapRectToScene(item->boundingRect());
    const bool still = at == lastSeen;
    lastSeen = at;
    return still;
}

inline QPoint centreOf(QQuickItem *item)
{
    return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
}

inline void click(QQuickWindow *window, QQuickItem *item, Qt::MouseButton button = Qt::LeftButton)
{
    QVERIFY2(item, "nothing to click");
    const QPoint centre = centreOf(item);
    // As a hand does: the pointer moves there first (a press with no move before it can go to
    // the grabber of the previous click, e.g. a dialog that closed on that release).
    QTest::mouseMove(window, centre);
    QTest::mouseClick(window, button, {}, centre);
}

//! The pointer rests on `item` (hover effects, e.g. a bubble's toolbar).
inline void hover(QQuickWindow *window, QQuickItem *item)
{
    QVERIFY2(item, "nothing to hover");
    QTest::mouseMove(window, centreOf(item));
}

inline void typeInto(QQuickWindow *window, QQuickItem *field, const QString &text)
{
    QVERIFY2(field, "no field to type into");
    field->forceActiveFocus();
    QTRY_VERIFY(field->hasActiveFocus());
    // QTest::keyClicks() is for widgets: one key event per code point (emoji included).
    for (const char32_t codePoint : text.toUcs4()) {
        const QString character = QString::fromUcs4(&codePoint, 1);
        const Qt::Key key = character.size() == 1 && character.at(0).isLetterOrNumber()
            ? Qt::Key(character.toUpper().at(0).unicode())
            : Qt::Key_unknown;
        QTest::sendKeyEvent(QTest::Click, window, key, character, Qt::NoModifier);
    }
}

} // namespace E2e
