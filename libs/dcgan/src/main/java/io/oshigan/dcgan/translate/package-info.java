/**
 * The translator seam (as DJL's): everything between "what a caller has" and "what the generator eats or gives".
 * Input side: {@link io.oshigan.dcgan.translate.Latents} (seeds to latent vectors, truncation, interpolation; the
 * project's one Gaussian) and {@link io.oshigan.dcgan.translate.FacePixels} (a crop's bytes to the [-1, 1] pixels
 * the discriminator sees). Output side: {@link io.oshigan.dcgan.translate.FaceImages} ([-1, 1] pixels to PNG or
 * JPEG faces and grids). Model execution (graphs and sessions) stays in {@code io.oshigan.dcgan}; trainer grids,
 * sampler answers and imported generators all pass through here.
 */
package io.oshigan.dcgan.translate;
