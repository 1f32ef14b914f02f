// Compile step (projen post-compile): pre-builds the broker and CLI bundles into dist/bundle, which the
// published package carries. An installed Sluice builds its image from them at synth, without esbuild.
import { writePrebuiltBundles } from "../lib/image/image-bundle";

for (const file of writePrebuiltBundles()) console.log(`bundled ${file}`);
