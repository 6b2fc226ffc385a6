// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

// A loop block device over an image file, made with one LOOP_CONFIGURE
// ioctl (Linux ≥ 5.8) rather than `losetup`. The device is set to clear
// itself (LO_FLAGS_AUTOCLEAR): once the last user lets go — our descriptor
// and any mount of it — the kernel detaches it, so a crash of the engine at
// any moment leaks no loop device.
class LoopDevice
{
public:
    // Attaches `image`; the device stays attached while this object (or a
    // mount made from path()) holds it.
    static Result<LoopDevice> attach(const QString &image);

    LoopDevice(LoopDevice &&other) noexcept;
    LoopDevice &operator=(LoopDevice &&other) noexcept;
    LoopDevice(const LoopDevice &) = delete;
    LoopDevice &operator=(const LoopDevice &) = delete;
    ~LoopDevice();

    QString path() const { return m_path; }

private:
    LoopDevice(int fd, QString path);
    int m_fd = -1;
    QString m_path;
};
