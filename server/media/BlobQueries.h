#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Server {

class Database;

//! The SQL of blobs: their rows, who may read them and their links to messages. Database threads
//! only; throws StoreError.
namespace BlobQueries {

enum class State { Uploading = 0, Complete = 1 };

struct BlobRow
{
    QString id;
    qint64 ownerId = 0;
    qint64 size = 0;
    QByteArray sha256;
    State state = State::Uploading;
};

//! A new blob id: 128 random bits in base32 (26 characters a-z2-7), never derived from input.
QString newBlobId();

struct Limits
{
    qint64 quotaBytes = 0;
    int maxPending = 0;
};
struct Created
{
    BlobRow row;
    bool existing = false; //!< the clientId was used before: this is that blob
};
//! blob.create: the user's blob of this clientId, or a new row (uploading) within the limits
//! (QuotaExceeded otherwise). A clientId used for a different size or digest is InvalidField.
Created create(Database &db, qint64 userId, const QString &clientId, qint64 size,
               const QByteArray &sha256, const Limits &limits);

//! The blob if it exists and userId uploaded it.
std::optional<BlobRow> ownBlob(Database &db, const QString &id, qint64 userId);
//! The complete blob if userId may read it: the uploader; a member of a conversation holding a
//! live (not erased) message that references it, sent while they were a member; anyone who shares
//! a conversation with the user whose current avatar it is; a current member of the group whose
//! current avatar it is.
std::optional<BlobRow> readableBlob(Database &db, const QString &id, qint64 userId);
//! profile.update and group.avatar: the blob must be userId's own complete blob of at most
//! MaxAvatarBlobBytes (else StoreError NotFound or TooLarge); it is then marked referenced, so
//! that once it is no longer an avatar (nor in a message) the sweeper removes it.
void adoptAsAvatar(Database &db, const QString &id, qint64 userId);
//! Marks an upload complete (after its file is in place). False when the row is gone.
bool markComplete(Database &db, const QString &id);
//! Forgets an upload (its digest did not match).
void removeUpload(Database &db, const QString &id);

//! message.send: whether every blob (distinct ids) is complete and userId may reference it (the
//! uploader, or readable through a conversation they are a member of: forwarding).
bool referenceable(Database &db, qint64 userId, const QStringList &blobIds);
struct Link
{
    qint64 conversationId = 0;
    qint64 seq = 0;
    QStringList blobIds;
};
//! Inserts the message_blobs rows of freshly stored messages (in the send's transaction).
void link(Database &db, const QList<Link> &links);

struct Swept
{
    QStringList ids; //!< rows deleted: their files go after the commit
    int links = 0; //!< links of erased messages dropped
};
//! One sweep batch: drops the links of erased messages, then deletes the rows of uploads started
//! before `unusedBefore`, and of complete blobs no user or group has as its current avatar that
//! either no live message references and were referenced once or completed before
//! `unusedBefore`, or (media retention; 0 turns it off) completed before `retainedSince`,
//! whatever references them (their links go with them). At most `batch` rows.
Swept sweep(Database &db, qint64 unusedBefore, qint64 retainedSince, int batch);
//! Which of these ids have a row.
QStringList existing(Database &db, const QStringList &ids);
//! Stored bytes (complete and uploading) of every user's blobs, and their count (metrics).
std::pair<qint64, qint64> totals(Database &db);

} // namespace BlobQueries

} // namespace Server
