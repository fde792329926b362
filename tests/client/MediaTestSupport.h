#pragma once

// Helpers of the media suites (tst_client_media*.cpp): attachments sent by real Accounts
// through the real server.

#include "ClientTestSupport.h"

#include "media/MediaTransfers.h"
#include "media/TransferClient.h"
#include "protocol/Attachment.h"
#include "protocol/MessageBody.h"
#include "store/LocalStore.h"

#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>

namespace MediaTest {

inline QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator {quint32(size)}; // reproducible, incompressible
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(generator.generate() & 0xff);
    return bytes;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline Client::OutgoingAttachment fileAttachment(const QString &path, const QString &name)
{
    Client::OutgoingAttachment file;
    file.path = path;
    file.meta.kind = Protocol::Body::AttachmentKind::File;
    file.meta.mime = QStringLiteral("application/octet-stream");
    file.meta.name = name;
    return file;
}

inline Client::OutgoingAttachment imageAttachment(const QByteArray &bytes)
{
    Client::OutgoingAttachment image;
    image.bytes = bytes;
    image.meta.kind = Protocol::Body::AttachmentKind::Image;
    image.meta.mime = QStringLiteral("image/jpeg");
    image.meta.name = QStringLiteral("photo.jpg");
    image.meta.width = 640;
    image.meta.height = 480;
    image.meta.thumbnail = QByteArray("\xff\xd8\xff\xe0 tiny", 9);
    return image;
}

//! The stored messages of a conversation that carry attachments, oldest first.
inline QList<Protocol::MessageRecord> attachmentMessages(Client::Account *account,
                                                         qint64 conversationId)
{
    QList<Protocol::MessageRecord> found;
    for (const Protocol::MessageRecord &m :
         awaited(account->store()->messages(conversationId, 0, 200))) {
        if (m.contentType != QLatin1StringView(Protocol::Body::ContentType))
            continue;
        const auto decoded = Protocol::Body::decode(m.content);
        if (decoded.ok() && !decoded.body.attachments.isEmpty())
            found.append(m);
    }
    return found;
}

inline QList<Protocol::Body::Attachment> attachmentsOf(const Protocol::MessageRecord &message)
{
    return Protocol::Body::attachmentsOf(Protocol::Body::decode(message.content).body);
}

//! The plaintext of a cached attachment, through MediaTransfers::open(); null when it does not
//! open or a read fails.
inline QByteArray plaintext(Client::MediaTransfers *media, const Protocol::Body::Attachment &a)
{
    const std::unique_ptr<QIODevice> device = media->open(a);
    if (!device)
        return {};
    QByteArray all;
    while (!device->atEnd()) {
        const QByteArray block = device->read(100'000);
        if (block.isEmpty())
            return {};
        all += block;
    }
    return all;
}

//! The server's file of a complete blob (its name is the blob id), or empty.
inline QString serverBlobFile(const QString &blobDir, const QString &blobId)
{
    QDirIterator it(blobDir, {blobId}, QDir::Files, QDirIterator::Subdirectories);
    return it.hasNext() ? it.next() : QString();
}

} // namespace MediaTest
