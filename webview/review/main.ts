// Entry of the review webview bundle (media/review.js).
import './app'

document.body.appendChild(document.createElement('phoenix-review'))
