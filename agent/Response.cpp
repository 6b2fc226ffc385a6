// SPDX-License-Identifier: GPL-3.0-or-later
#include "Response.h"

Response Response::ok()
{
    Response r;
    r.header["ok"] = true;
    return r;
}

Response Response::fail(const Failure& failure)
{
    Response r;
    r.header["ok"] = false;
    r.header["error"] = {{"code", failure.code}, {"message", failure.message}};
    return r;
}
