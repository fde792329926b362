#include "Avatars.h"

#include "core/Session.h"

namespace Server {

namespace Avatars {

namespace {
using L = QLatin1StringView;
const QString blobField = QStringLiteral("avatarBlob");
const QString descriptorField = QStringLiteral("avatar");
} // namespace

std::optional<AvatarChange> read(const Request &request, bool *refused)
{
    *refused = false;
    const bool hasBlob = request.has(L("avatarBlob"));
    const bool hasDescriptor = request.has(L("avatar"));
    const auto refuse = [&](const QString &message, const QString &field) {
        *refused = true;
        request.fail(Protocol::ErrorCode::InvalidField, message, field);
        return std::nullopt;
    };
    if (!hasBlob) {
        if (hasDescriptor)
            return refuse(QStringLiteral("\"avatar\" describes the blob named in \"avatarBlob\""),
                          descriptorField);
        return std::nullopt;
    }
    AvatarChange change;
    change.blobId = request.string(L("avatarBlob"));
    if (change.blobId.isEmpty()) {
        if (hasDescriptor)
            return refuse(QStringLiteral("removing the picture takes no \"avatar\""),
                          descriptorField);
        return change;
    }
    if (!Protocol::isValidBlobId(change.blobId))
        return refuse(QStringLiteral("\"avatarBlob\" is not a blob id"), blobField);
    if (!hasDescriptor)
        return refuse(QStringLiteral("a picture needs its descriptor, \"avatar\""),
                      descriptorField);
    change.descriptor = request.bytes(L("avatar"));
    return change;
}

QString failedField(Protocol::ErrorCode code)
{
    return code == Protocol::ErrorCode::NotFound || code == Protocol::ErrorCode::TooLarge
        ? blobField
        : QString();
}

} // namespace Avatars

} // namespace Server
