package io.oshigan.crop.domain;

/** One image that landed in the raw bucket, as the bucket notification describes it. */
public record UploadedImage(String bucket, String key, String eTag, long size, String contentType) {
}
