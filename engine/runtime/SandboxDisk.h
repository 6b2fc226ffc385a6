// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "SandboxPaths.h"

#include <QObject>

#include <functional>
#include <optional>

// A sandbox's own disk: a sparse ext4 image (DIR/disk.img) on a loop device,
// mounted at DIR/disk, holding the overlay's upper/ and work/ dirs. Its size
// is the sandbox's disk limit, and the kernel enforces it: a write past it
// gets ENOSPC inside the sandbox, and nothing else on the host fills up.
class SandboxDisk : public QObject
{
    Q_OBJECT
public:
    // `blankDir`: where the blank image of each size is kept (DATA/disks).
    explicit SandboxDisk(QString blankDir, QObject *parent = nullptr);

    struct Usage
    {
        qint64 usedBytes = 0;
        qint64 limitBytes = 0;
    };

    // Makes the image (sparse: costs ~5 MB until written) with its file
    // system — a copy of the blank image of that size, or mkfs.ext4 the first
    // time, which then keeps the blank image; both off the event loop —,
    // mounts it and makes upper/ (owned by `owner`, the sandbox's root) and
    // work/. On failure nothing stays mounted.
    void create(const SandboxPaths &p, int sizeMb, uint owner, std::function<void(Status)> done);

    // Mounts the image at DIR/disk unless it already is.
    static Status mount(const SandboxPaths &p);
    // Detaches lazily; not mounted is not an error. The loop device clears
    // itself once the last user (the overlay, a container) lets go.
    static Status unmount(const SandboxPaths &p);
    static bool isMounted(const SandboxPaths &p);
    // Used and total bytes: the file system's own count while mounted, else
    // what the image takes on the host.
    static std::optional<Usage> usage(const SandboxPaths &p, int sizeMb);

private:
    QString blankImage(int sizeMb) const;

    QString m_blankDir;
};
