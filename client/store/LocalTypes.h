#pragma once

#include "protocol/Attachment.h"
#include "protocol/Records.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Client {

//! A message written locally before the server acknowledged it.
struct OutboxEntry
{
    qint64 position = 0; //!< send order: smaller goes first
    qint64 conversationId = 0;
    QString clientId; //!< kept across retries and restarts: the server deduplicates by it
    QString contentType;
    QByteArray content;
    qint64 createdAt = 0; //!< local clock, ms since the epoch
    bool failed = false; //!< refused for good; waits for retry or discard
    QString error; //!< why it failed
    bool silent = false; //!< a reaction or an edit: sent with `silent`
    qint64 refSeq = 0; //!< the entry a reaction or edit acts on (0: none)
    //! Waits for its attachments to upload (MediaTransfers); later entries of its conversation
    //! wait behind it.
    bool held = false;

    bool operator==(const OutboxEntry &) const = default;
};

//! One attachment of a held outbox entry on its way to the server (the `uploads` table).
struct UploadRow
{
    enum class State {
        Encrypting = 0, //!< the cache file is not complete: encrypt (again) from the source
        Encrypted = 1, //!< cache file, sha256 and sizes final; no blob on the server yet
        Uploading = 2, //!< blob.create answered blobId; blob.put from the server's offset
        Complete = 3, //!< the server holds the whole blob
        Failed = 4, //!< refused for good; waits for the message's retry or discard
    };

    QString localId; //!< names the cache file; never derived from the file's name
    QString clientId; //!< of the outbox entry (message)
    int index = 0; //!< in the body's `att` array
    QString createId; //!< blob.create's clientId (idempotent); a new one after a failure
    QString sourcePath; //!< the user's file; empty for prepared bytes
    QString cachePath; //!< ciphertext
    QByteArray key;
    QByteArray sha256; //!< of the ciphertext, once encrypted
    qint64 size = 0; //!< plaintext bytes
    qint64 cipherSize = 0;
    QString blobId;
    State state = State::Encrypting;
    QString error;

    bool operator==(const UploadRow &) const = default;
};

//! A download asked for and not finished (the `downloads` table): it goes on after a restart,
//! from its partial file.
struct DownloadRow
{
    Protocol::Body::Attachment attachment; //!< the descriptor (its key with it)
    qint64 queuedAt = 0; //!< local clock, ms since the epoch
    bool urgent = false; //!< goes before the others (avatars)
    //! The server timestamp of the attachment's message, ms (0: none, e.g. an avatar): tells an
    //! attachment past the server's media retention from a failed download.
    qint64 sentAt = 0;

    bool operator==(const DownloadRow &) const = default;
};

//! What the conversation list shows of one conversation, as the local store knows it: the
//! server's record with the peer's current presence and the newest cached entry filled in, plus
//! the newest message still waiting in the outbox.
struct ConversationSummary
{
    Protocol::ConversationInfo info;
    std::optional<OutboxEntry> newestPending;
    bool active = true; //!< false after the user left or was removed
    QString draft; //!< unsent text in the composer; empty when none
    //! The newest seq up to which every entry is stored; -1 when never synced.
    qint64 syncedSeq = -1;
    //! Unread messages from others that mention this user (the chat list's @ badge).
    qint64 unreadMentions = 0;
};

//! One person's reaction to a message (the newest they sent).
struct ReactionInfo
{
    qint64 userId = 0;
    QString emoji;
    qint64 seq = 0; //!< of the reaction entry

    bool operator==(const ReactionInfo &) const = default;
};

//! An earlier or current text of an edited message.
struct EditInfo
{
    qint64 seq = 0; //!< of the edit entry; the original's own seq for the first text
    qint64 timestamp = 0;
    QString text;
};

//! A message as the local store shows it: the record with what later entries did to it
//! (edits applied to its content, reactions, erasure), and what its reply quotes.
struct StoredMessage
{
    //! content: the current body (an edit applied); erased/hidden: content is gone.
    Protocol::MessageRecord record;
    qint64 editedAt = 0; //!< timestamp of the newest applied edit; 0 when never edited
    bool mentionsMe = false;
    bool forwarded = false;
    QList<ReactionInfo> reactions; //!< one per user, by seq
    qint64 replySeq = 0; //!< 0: not a reply
    qint64 replySenderId = 0;
    //! "ok" (the quoted message is stored), "deleted" (erased or hidden) or "missing" (not
    //! stored yet); empty when not a reply.
    QString replyState;
    QString replyExcerpt; //!< the quoted message's text, when "ok"
    QList<EditInfo> edits; //!< the texts it had, oldest first; empty when never edited
};

//! The receipt cursors this device owes the server for one conversation: moved locally, not yet
//! acknowledged. 0: nothing owed of that kind.
struct UnsentReceipt
{
    qint64 conversationId = 0;
    qint64 readSeq = 0;
    qint64 deliveredSeq = 0;
};

//! One hit of the local full-text search.
struct SearchHit
{
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    qint64 timestamp = 0;
    QString text;
};

} // namespace Client
