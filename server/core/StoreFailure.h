#pragma once

#include "core/Session.h"
#include "storage/Store.h"

#include <QLoggingCategory>

namespace Server {

//! Answers `request` with the error of its failed store job and returns true; false when the job
//! succeeded. The storage's own failures (unavailable, internal) are the operator's business and
//! go to `category`'s log; a client's mistakes (not_member, forbidden, …) are not logged.
template<typename T>
bool answerStoreFailure(const Request &request, const Result<T> &result,
                        const QLoggingCategory &(*category)())
{
    if (result.ok())
        return false;
    if (result.error == Protocol::ErrorCode::Unavailable
        || result.error == Protocol::ErrorCode::Internal)
        qCWarning(category).noquote() << "request failed:" << result.message;
    request.fail(result.error, result.message);
    return true;
}

} // namespace Server
