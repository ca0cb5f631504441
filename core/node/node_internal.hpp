// What Node's implementation files (core/node/node*.cpp) share, and nobody else uses: the log.db
// meta keys that hold the device's identity, how long the certificates it issues last, and the
// staff handle check. Constants and a pure function: safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/base/result.hpp"

namespace shelter::core::node_internal {

inline constexpr const char* kMetaDeviceCert = "device_cert";
// Wrapped under the device master key: sign_sk(64) || box_sk(32).
inline constexpr const char* kMetaDeviceSecrets = "device_secrets";
inline constexpr const char* kMetaRootPk = "root_pk";
inline constexpr const char* kMetaRootSk = "root_sk";  // wrapped; admin devices only

inline constexpr int64_t kCertValidityS = 10ll * 365 * 24 * 3600;

// Staff handles are 1 to 32 letters, digits, '.', '_' or '-'; kInvalidArgument otherwise.
Status ValidateHandle(std::string_view h);

}  // namespace shelter::core::node_internal
