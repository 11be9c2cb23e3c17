//! The PDF's images: one krilla image per distinct content, prepared (upright, resampled
//! for print) once per content in parallel or taken from the build's shared store. A JPEG
//! passed through is given to krilla as a small stand-in (its header segments, see
//! [`super::splice`]) that the real file replaces when the PDF is written; a PNG or a
//! re-encoded image is given whole (krilla decodes a PNG to re-compress it).

use std::collections::HashMap;

use krilla::image::Image;
use rayon::prelude::*;

use super::splice::{self, Splice};
use super::{WriteSettings, validation};
use crate::error::Result;
use crate::layout::Layout;
use crate::model::ImageFormat;
use crate::prepare::Prepared;

/// The images of one PDF: the krilla image of each figure (article, block), and the
/// stand-ins to replace when the document is written.
pub(super) struct PdfImages {
    /// Each placed figure's image.
    pub by_figure: HashMap<(usize, usize), Image>,
    /// The JPEGs given to krilla as stand-ins.
    pub splices: Vec<Splice>,
}

/// What krilla gets for one distinct image: a stand-in (and its splice) or the bytes.
enum Given {
    Standin(Vec<u8>),
    Whole(Vec<u8>),
}

/// The images of the PDF of `lay`: each distinct content once, in figure order (so that
/// stand-ins are numbered the same in every run), its bytes or stand-in made in parallel.
pub(super) fn pdf_images(p: &Prepared, lay: &Layout, options: &WriteSettings) -> Result<PdfImages> {
    let prepared = crate::images::for_print(p, lay, options.image_ppi, options.images.as_deref())?;
    let mut keys: Vec<_> = prepared.keys().copied().collect();
    keys.sort_unstable();
    // Distinct contents in figure order, with the first figure showing each.
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut distinct = Vec::new();
    for key in &keys {
        first
            .entry(prepared[key].source.identity())
            .or_insert_with(|| {
                distinct.push(*key);
                distinct.len() - 1
            });
    }
    let given: Vec<std::result::Result<Given, crate::model::image_source::Changed>> = distinct
        .par_iter()
        .enumerate()
        .map(|(index, key)| {
            let img = &prepared[key];
            if img.format == ImageFormat::Jpeg
                && let Some(s) = splice::standin_of_source(&img.source, index)?
            {
                return Ok(Given::Standin(s));
            }
            Ok(Given::Whole(img.source.read_checked()?.into_owned()))
        })
        .collect();
    let mut images = Vec::with_capacity(distinct.len());
    let mut splices = Vec::new();
    for (key, given) in distinct.iter().zip(given) {
        let img = &prepared[key];
        let bytes = match given.map_err(|c| validation::changed_image_error(p, key.0, key.1, &c))? {
            Given::Standin(s) => {
                splices.push(Splice {
                    standin: s.clone(),
                    source: img.source.clone(),
                });
                s
            }
            Given::Whole(b) => b,
        };
        let data = krilla::Data::from(bytes);
        let image = match img.format {
            ImageFormat::Png => Image::from_png(data, false),
            ImageFormat::Jpeg => Image::from_jpeg(data, false),
        }
        .map_err(|e| validation::image_error(p, key.0, key.1, e))?;
        images.push(image);
    }
    let by_figure = keys
        .iter()
        .map(|key| {
            (
                *key,
                images[first[&prepared[key].source.identity()]].clone(),
            )
        })
        .collect();
    Ok(PdfImages { by_figure, splices })
}
