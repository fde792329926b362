#pragma once

#include "core/ServerContext.h"

#include "protocol/Records.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace Server {

class Database;
class PresenceService;
class Request;
namespace GroupQueries {
struct Change;
}

//! Conversation lists, direct conversations, groups and their membership, per-user flags.
class ConversationService : public QObject
{
    Q_OBJECT
public:
    ConversationService(ServerContext context, PresenceService *presence,
                        QObject *parent = nullptr);

private:
    void handleList(const Request &request);
    void handleGet(const Request &request);
    void handleFlags(const Request &request);
    void handleOpenDirect(const Request &request);
    void handleCreateGroup(const Request &request);
    void handleAdd(const Request &request);
    void handleRemove(const Request &request);
    void handleLeave(const Request &request);
    void handleRename(const Request &request);
    void handleSetRole(const Request &request);
    void handleSetAvatar(const Request &request);

    //! Runs a membership change on the writer and, once committed, answers with the seq of its
    //! last event, refreshes the member cache and fans the events out.
    //! `candidates` are users who may join: those online get a `conversation` event.
    void runChange(const Request &request, const QList<qint64> &candidates,
                   std::function<GroupQueries::Change(Database &)> change);
    void publishChange(const Request &request, const GroupQueries::Change &change,
                       const QHash<qint64, Protocol::ConversationInfo> &joined);
    void fillPresence(qint64 viewerId, Protocol::ConversationInfo &conversation) const;

    ServerContext m_context;
    PresenceService *m_presence;
};

} // namespace Server
