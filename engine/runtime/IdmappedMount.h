// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IdRange.h"
#include "Result.h"

#include <QString>

// A sandbox's file system with the shared template seen through an idmapped
// mount (Linux's mount_setattr(MOUNT_ATTR_IDMAP)): files the template's range
// owns on disk appear owned by the sandbox's own range, so sandboxes of one
// template need not share host ids and the template is never copied.
// runc 1.1 cannot make such mounts, so the engine does, before runc runs.
// Each call is a handful of quick system calls plus one short-lived child
// that is reaped before the call returns: fine on the event loop.
namespace IdmappedMount {

// Ids `from.base + i` on disk appear as `to.base + i` through the mount.
struct Mapping
{
    IdRange from;
    IdRange to;
};

// The "inside outside count" line of uid_map/gid_map for `m`: the ids on
// disk are the namespace's own ids, the sandbox's range the host's.
QByteArray mapLine(const Mapping &m);
// A sentence when `m` cannot be an idmap (empty, different sizes), else "".
QString checkMapping(const Mapping &m);

// A user namespace carrying `m` as both its uid and gid map: the descriptor
// of /proc/<child>/ns/user of a child made with clone(CLONE_NEWUSER) that
// waits on a pipe while its maps are written, then is killed and reaped.
// The caller closes the descriptor.
Result<int> userNamespace(const Mapping &m);

// How the idmapped lower layer reaches overlayfs.
enum class Layering {
    // By descriptor when the kernel can (Linux ≥ 6.13), else by path.
    Auto,
    // "lowerdir+" with FSCONFIG_SET_FD: the idmapped clone is never attached
    // anywhere, so there is nothing to clean up, ever.
    ByDescriptor,
    // Linux 5.19 to 6.12: the clone is attached at `attachPoint` (a 0700
    // directory) just long enough for mount(2) to take it as lowerdir, then
    // detached; overlayfs keeps its own private copy of each layer.
    ByPath,
};

// Mounts an overlay at `target` whose lower layer is `lower` seen through an
// idmapped, read-only clone of it; nodev, and not nosuid, for the same reason
// as HostMounts::mountOverlay. Unmounting `target` is all it takes to undo it.
Status mountOverlay(const QString &lower, const Mapping &m, const QString &upper, const QString &work,
                    const QString &target, const QString &attachPoint, Layering how = Layering::Auto);

// Whether this kernel can put an idmapped view of `lower` under an overlay:
// mounts one for real in `scratchDir` (made and removed here) and unmounts
// it. A sentence naming the failing call when it cannot.
Status probe(const QString &lower, const QString &scratchDir);

// Detaches and removes what a crash between attaching and detaching a clone
// (Layering::ByPath) can leave at `attachPoint`; nothing there is no error.
void detachStale(const QString &attachPoint);

} // namespace IdmappedMount
