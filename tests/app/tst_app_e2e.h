#pragma once

// The end-to-end suite's one test class: its cases are defined in tst_app_e2e.cpp (sign-up,
// chats, groups, search, first unread, certificates, emoji, archive) and tst_app_e2e_rich.cpp
// (rich messages: formatting, reply, reactions, edit, delete, forward, mentions, timer).
#include "MainWindowFixture.h"

#include "ClientTestSupport.h"
#include "TestServer.h"
#include "account/Account.h"

#include <QObject>

#include <memory>

class TestAppEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void signUpChatCreateAGroupAndSearch();
    void opensAtTheFirstUnreadAndJumpsToTheBottom();
    void aSelfSignedServerIsTrustedByItsFingerprint();
    void emojiPickerChatMenuAndArchivedChats();

    // tst_app_e2e_rich.cpp
    void formattingReplyReactEditDeleteAndForward();
    void mentionsWithAutocompleteAndTheTimer();

    // tst_app_e2e_media.cpp
    void photosPastedPicturesAndFiles();
    // tst_app_e2e_files.cpp
    void viewerZoomSaveAsAndOpen();
    // tst_app_e2e_playback.cpp (skipped outside scripts/audio-env)
    void voiceNoteAndVideoPlayInTheWindow();

private:
    //! Alice signed up through the window (active, 1100×720); Bob online, in a direct chat with
    //! her that holds his one message `text`, which has reached her store.
    void aliceInTheWindowAndBobWrites(const QString &text, qint64 *direct);

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<MainWindowFixture> m_window;
    std::unique_ptr<Client::Account> m_bob;
    std::unique_ptr<Client::Account> m_carol;
};
