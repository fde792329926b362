#pragma once

// Helpers of the blob suites (tst_blobs*): transfer connections, uploads and downloads.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Blobs {

using namespace Qt::StringLiterals;
namespace Request = Protocol::Request;
using Frame = Protocol::Frame;

constexpr int Chunk = Protocol::Limits::BlobChunkBytes;

inline QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

//! Bytes that look like ciphertext, the same for the same seed.
inline QByteArray bytes(qsizetype size, quint32 seed = 1)
{
    QRandomGenerator generator(seed);
    QByteArray data(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(generator.bounded(256));
    return data;
}

//! Signs a connected client in as a transfer connection of `token`'s device.
inline bool signInForTransfer(TestClient *client, const QString &token)
{
    const Frame answer = client->request(
        Request::Resume,
        {{u"token"_s, token}, {u"protocol"_s, Protocol::Version}, {u"transfer"_s, true}});
    if (!answer.isOk())
        qWarning().noquote() << "transfer resume failed:" << TestClient::describe(answer);
    return answer.isOk();
}

//! A user with a chat connection and a transfer connection of the same device.
struct User
{
    TestClient *chat = nullptr;
    TestClient *transfer = nullptr;
    qint64 id() const { return chat->userId(); }
};

//! Registers `name` on `server` and opens its transfer connection; empty on failure.
inline User newUser(TestServer &server, const QString &name)
{
    User user;
    user.chat = server.newUser(name);
    if (!user.chat)
        return {};
    user.transfer = server.newClient();
    if (!user.transfer || !signInForTransfer(user.transfer, user.chat->token()))
        return {};
    return user;
}

inline Frame create(TestClient *client, const QByteArray &blob, const QString &clientId)
{
    return client->request(
        Request::CreateBlob,
        {{u"size"_s, blob.size()}, {u"sha256"_s, sha256(blob)}, {u"clientId"_s, clientId}});
}

inline Frame put(TestClient *client, const QString &blobId, qint64 offset, const QByteArray &data)
{
    return client->request(Request::PutBlob,
                           {{u"blobId"_s, blobId}, {u"offset"_s, offset}, {u"data"_s, data}});
}

inline Frame get(TestClient *client, const QString &blobId, qint64 offset, qint64 length)
{
    return client->request(Request::GetBlob,
                           {{u"blobId"_s, blobId}, {u"offset"_s, offset}, {u"length"_s, length}});
}

inline Frame status(TestClient *client, const QString &blobId)
{
    return client->request(Request::BlobStatus, {{u"blobId"_s, blobId}});
}

//! Creates (or resumes) and uploads the rest of blob; its id, or empty on failure.
inline QString upload(TestClient *client, const QByteArray &blob, const QString &clientId)
{
    const Frame created = create(client, blob, clientId);
    if (!created.isOk()) {
        qWarning().noquote() << "blob.create failed:" << TestClient::describe(created);
        return {};
    }
    QString id = created.body.value("blobId"_L1).toString();
    for (qint64 offset = created.body.value("offset"_L1).toInteger(); offset < blob.size();
         offset += Chunk) {
        const Frame answer = put(client, id, offset, blob.mid(offset, Chunk));
        if (!answer.isOk()) {
            qWarning().noquote() << "blob.put failed:" << TestClient::describe(answer);
            return {};
        }
    }
    return id;
}

//! The whole blob, read chunk by chunk; empty on failure.
inline QByteArray download(TestClient *client, const QString &blobId, qint64 size)
{
    QByteArray all;
    while (all.size() < size) {
        const Frame answer = get(client, blobId, all.size(), Chunk);
        if (!answer.isOk()) {
            qWarning().noquote() << "blob.get failed:" << TestClient::describe(answer);
            return {};
        }
        all += answer.body.value("data"_L1).toByteArray();
    }
    return all;
}

} // namespace Blobs
