package io.oshigan.gateway.rest;

import io.oshigan.storage.ObjectKeys;

/** Keys and eTags a client names in a query, checked where they come in: what the object store would refuse is a 400. */
final class ClientKeys {
    private ClientKeys() {
    }

    /** @throws UploadRejectedException 400 with the reason ({@link ObjectKeys#requireObjectKey}) */
    static String key(String key) {
        try {
            return ObjectKeys.requireObjectKey(key);
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, e.getMessage());
        }
    }

    /** @throws UploadRejectedException 400 when it is missing or blank */
    static String eTag(String eTag) {
        if (eTag == null || eTag.isBlank()) {
            throw new UploadRejectedException(400, "eTag is missing or blank");
        }
        return eTag;
    }
}
