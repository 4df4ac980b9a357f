/// The one stylesheet, served from /assets/canvass.css (no inline styles, so the CSP can forbid
/// them). Written for Canvass after the GOV.UK Design System's layout: large type, full-width
/// controls on small screens, visible focus, high contrast.
enum Stylesheet {
    static let css = """
    *,*::before,*::after{box-sizing:border-box}
    html{font-size:100%;-webkit-text-size-adjust:100%}
    body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:1.1875rem;line-height:1.4;color:#0b0c0c;background:#fff}
    a{color:#1d70b8;text-decoration:underline;text-underline-offset:.1em}
    a:visited{color:#4c2c92}
    a:hover{color:#003078;text-decoration-thickness:3px}
    a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 -2px #ffdd00,0 4px #0b0c0c;background-color:#ffdd00;color:#0b0c0c}
    input:focus,textarea:focus{background-color:#fff;box-shadow:inset 0 0 0 2px #0b0c0c}
    .skip-link{position:absolute;left:-9999px;top:0;padding:10px 15px;background:#ffdd00;color:#0b0c0c}
    .skip-link:focus{left:0;z-index:10}
    .visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;border:0!important;white-space:nowrap!important}
    .header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}
    .header__name{display:inline-block;padding:12px 0;font-weight:700;font-size:1.25rem;color:#fff}
    .container{max-width:960px;margin:0 15px}
    @media (min-width:40.0625em){.container{margin:0 30px}}
    @media (min-width:1020px){.container{margin:0 auto}}
    .main{padding:20px 0 40px;max-width:40em}
    .phase{padding:10px 0;border-bottom:1px solid #b1b4b6;font-size:1rem}
    .language{float:right;margin:0;padding:0;list-style:none}
    .language li{display:inline;margin-left:10px}
    .back-link{display:inline-block;margin:0 0 20px;font-size:1rem;color:#0b0c0c}
    .back-link::before{content:"\\2039";margin-right:5px}
    h1,.heading-l{font-size:2rem;line-height:1.1;margin:0 0 20px;font-weight:700}
    @media (max-width:40em){h1,.heading-l{font-size:1.6rem}}
    h2{font-size:1.5rem;margin:30px 0 15px}
    p{margin:0 0 20px}
    .form-group{margin-bottom:30px}
    .form-group--error{padding-left:15px;border-left:5px solid #d4351c}
    fieldset{margin:0;padding:0;border:0;min-width:0}
    legend{padding:0;max-width:100%;white-space:normal}
    .legend-heading{margin:0 0 15px}
    .label{display:block;margin-bottom:5px;font-weight:400}
    .label--heading{font-size:2rem;font-weight:700;line-height:1.1}
    @media (max-width:40em){.label--heading{font-size:1.6rem}}
    .hint{color:#505a5f;margin-bottom:15px}
    .error-message{display:block;color:#d4351c;font-weight:700;margin-bottom:15px}
    .input,.textarea{display:block;width:100%;max-width:100%;padding:5px;font:inherit;border:2px solid #0b0c0c;border-radius:0;background:#fff}
    .input{height:2.5rem}
    .select{display:block;min-width:23ex;max-width:100%;height:2.5rem;padding:5px;font:inherit;border:2px solid #0b0c0c;border-radius:0;background:#fff}
    .select:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
    .input--width-10{max-width:23ex}
    .input--error,.textarea--error{border-color:#d4351c}
    .textarea{min-height:6em}
    .choices__item{position:relative;display:block;min-height:40px;margin-bottom:10px;padding-left:40px}
    .choices__input{position:absolute;left:0;top:0;width:40px;height:40px;margin:0;opacity:0;cursor:pointer;z-index:1}
    .choices__label{display:inline-block;padding:8px 15px 5px;cursor:pointer}
    .choices__label::before{content:"";position:absolute;top:0;left:0;width:40px;height:40px;border:2px solid currentcolor;background:transparent}
    .choices--radio .choices__label::before{border-radius:50%}
    .choices--radio .choices__label::after{content:"";position:absolute;top:10px;left:10px;width:0;height:0;border:10px solid currentcolor;border-radius:50%;opacity:0}
    .choices--checkbox .choices__label::after{content:"";position:absolute;top:11px;left:9px;width:23px;height:12px;transform:rotate(-45deg);border:solid;border-width:0 0 5px 5px;border-top-color:transparent;opacity:0;background:transparent}
    .choices__input:checked+.choices__label::after{opacity:1}
    .choices__input:focus+.choices__label::before{border-width:4px;outline:3px solid transparent;box-shadow:0 0 0 4px #ffdd00}
    .choices__divider{width:40px;margin-bottom:10px;text-align:center}
    .date{display:flex;flex-wrap:wrap;gap:20px}
    .date__item .input{width:5.5ex}
    .date__item--year .input{width:8ex}
    .button{display:inline-block;margin:0 0 22px;padding:8px 10px 7px;font:inherit;font-size:1.1875rem;line-height:1.2;color:#fff;background:#00703c;border:2px solid transparent;border-radius:0;box-shadow:0 2px 0 #002d18;cursor:pointer;text-decoration:none}
    .button:hover{background:#005a30}
    .button:focus{background:#ffdd00;color:#0b0c0c;box-shadow:0 2px 0 #0b0c0c}
    .button--start{font-weight:700;font-size:1.5rem}
    @media (max-width:40em){.button{width:100%}}
    .error-summary{padding:15px;margin-bottom:30px;border:5px solid #d4351c}
    .error-summary:focus{outline:3px solid #ffdd00}
    .error-summary h2{margin-top:0}
    .error-summary ul{margin:0;padding:0;list-style:none}
    .error-summary a{color:#d4351c;font-weight:700}
    .notification{padding:15px;margin-bottom:30px;border:5px solid #1d70b8}
    .summary-list{margin:0 0 30px}
    .summary-list__row{border-bottom:1px solid #b1b4b6;padding:10px 0}
    .summary-list__key{font-weight:700;margin:0 0 5px}
    .summary-list__value{margin:0 0 5px}
    .summary-list__actions{margin:0}
    @media (min-width:40.0625em){.summary-list__row{display:flex}.summary-list__key{width:45%;padding-right:20px}.summary-list__value{width:40%}.summary-list__actions{width:15%;text-align:right}}
    .panel{padding:35px;margin-bottom:30px;text-align:center;color:#fff;background:#00703c}
    .panel h1{color:#fff}
    .panel__body{font-size:1.5rem}
    .table{width:100%;border-collapse:collapse;margin-bottom:30px}
    .table th,.table td{padding:10px 20px 10px 0;border-bottom:1px solid #b1b4b6;text-align:left;vertical-align:top}
    .table .numeric{text-align:right;white-space:nowrap}
    .main--wide{max-width:none}
    svg.chart{display:block;width:100%;max-width:640px;height:auto}figure.chart{margin:1em 0}
    .footer{padding:25px 0;border-top:1px solid #b1b4b6;background:#f3f2f1;font-size:1rem}
    """
}
