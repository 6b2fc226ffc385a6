// SPDX-License-Identifier: GPL-3.0-or-later
#include "Failure.h"

#include <cerrno>
#include <cstring>

Failure Failure::fromErrno(int err, std::string_view subject)
{
    const char* code = "internal";
    switch (err) {
    case ENOENT: code = "not_found"; break;
    case EEXIST:
    case ENOTEMPTY: code = "already_exists"; break;
    case ENOTDIR: code = "not_a_directory"; break;
    case EISDIR: code = "is_a_directory"; break;
    case EACCES:
    case EPERM:
    case EROFS: code = "permission_denied"; break;
    case EFBIG: code = "too_large"; break;
    case ENAMETOOLONG:
    case ELOOP:
    case EINVAL:
    case EXDEV:
    case EBUSY: code = "bad_request"; break;
    default: break;
    }
    std::string message = std::strerror(err);
    message += ": ";
    message.append(subject);
    return {code, std::move(message)};
}
